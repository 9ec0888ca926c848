package dev.cairn.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class HandoffTest {
    /** An executor that records each task it is given and runs it at once. */
    private static final class CountingExecutor implements Executor {
        int executes;

        @Override
        public void execute(Runnable command) {
            executes++;
            command.run();
        }
    }

    @Test
    void eachExecutorGetsOneTaskThatRunsItsWritesInOrder() {
        CountingExecutor loopA = new CountingExecutor();
        CountingExecutor loopB = new CountingExecutor();
        List<String> ran = new ArrayList<>();
        Handoff handoff = new Handoff();

        handoff.add(loopA, () -> ran.add("a1"));
        handoff.add(loopB, () -> ran.add("b1"));
        handoff.add(loopA, () -> ran.add("a2"));
        handoff.add(loopA, () -> ran.add("a3"));
        assertEquals(List.of(), ran, "nothing runs before dispatch");
        handoff.dispatch();

        assertEquals(1, loopA.executes);
        assertEquals(1, loopB.executes);
        assertEquals(List.of("a1", "a2", "a3", "b1"), ran);
    }

    @Test
    void isEmptyAfterDispatchAndReusable() {
        CountingExecutor loop = new CountingExecutor();
        List<String> ran = new ArrayList<>();
        Handoff handoff = new Handoff();
        handoff.add(loop, () -> ran.add("first"));
        handoff.dispatch();
        handoff.dispatch();
        handoff.add(loop, () -> ran.add("second"));
        handoff.dispatch();

        assertEquals(2, loop.executes);
        assertEquals(List.of("first", "second"), ran);
    }
}
