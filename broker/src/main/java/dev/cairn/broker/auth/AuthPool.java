package dev.cairn.broker.auth;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that verify credentials off the core thread ({@code auth_threads}). Its queue
 * holds at most one check per connection waiting for its CONNECT to be answered, so
 * connections_max bounds it. A check that throws kills its thread and goes to the process's
 * uncaught-exception handler, which ends the broker: an authenticator that fails is a bug, not
 * a refusal.
 */
public final class AuthPool {
    private AuthPool() {}

    public static ExecutorService create(int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, "cairn-auth-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }
}
