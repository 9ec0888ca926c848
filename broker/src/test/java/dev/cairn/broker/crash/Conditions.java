package dev.cairn.broker.crash;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for conditions with deadlines: the crash tests never sleep in place of synchronisation. */
final class Conditions {
    private Conditions() {}

    /** Polls {@code condition} until it holds; fails with {@code state} (computed then) after {@code timeout}. */
    static void await(BooleanSupplier condition, Duration timeout, String what, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; " + state.get());
            }
            Thread.sleep(5);
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        await(condition, timeout, what, () -> "");
    }
}
