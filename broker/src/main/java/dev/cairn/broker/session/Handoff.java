package dev.cairn.broker.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Write tasks released by one sync, grouped by the I/O thread that runs them, so each I/O thread
 * gets one task (one wake-up) per release however many of its connections have packets. Waking an
 * event loop costs a syscall and usually a context switch; per-connection tasks woke a busy I/O
 * thread several times per turn. Core thread only; reusable after {@link #dispatch}.
 */
public final class Handoff {
    private final List<Executor> executors = new ArrayList<>(4);
    private final List<List<Runnable>> tasks = new ArrayList<>(4);

    /** Queues {@code task} to run on {@code executor} at the next {@link #dispatch}. */
    public void add(Executor executor, Runnable task) {
        for (int i = 0; i < executors.size(); i++) {
            if (executors.get(i) == executor) {
                tasks.get(i).add(task);
                return;
            }
        }
        List<Runnable> list = new ArrayList<>();
        list.add(task);
        executors.add(executor);
        tasks.add(list);
    }

    /** Hands each executor its queued tasks as one task, in the order they were added. */
    public void dispatch() {
        for (int i = 0; i < executors.size(); i++) {
            List<Runnable> batch = tasks.get(i);
            if (batch.size() == 1) {
                executors.get(i).execute(batch.get(0));
            } else {
                executors.get(i).execute(() -> runAll(batch));
            }
        }
        executors.clear();
        tasks.clear();
    }

    private static void runAll(List<Runnable> batch) {
        for (Runnable task : batch) {
            task.run();
        }
    }
}
