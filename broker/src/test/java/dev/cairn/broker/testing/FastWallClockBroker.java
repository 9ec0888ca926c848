package dev.cairn.broker.testing;

import dev.cairn.broker.Broker;
import dev.cairn.broker.config.CommandLine;
import dev.cairn.broker.config.JvmSettings;
import dev.cairn.broker.time.Clock;
import java.util.Arrays;

/**
 * A child-process broker whose wall clock runs {@code speedup} times faster than real time from
 * {@code epochBase} on, so journal cycle files roll (and retention deletes and relocates) in
 * seconds instead of hours, while a kill -9 test still kills a real process. Timers keep real
 * monotonic time, so keep alive and other timeouts behave as usual. Two processes given the same
 * base see one continuous, monotonic wall clock, as a restart on the same data directory needs.
 *
 * <p>Usage: {@code FastWallClockBroker <speedup> <epochBaseMillis> <broker arguments...>}; the
 * broker runs until the process is killed.
 */
public final class FastWallClockBroker {
    private FastWallClockBroker() {}

    public static void main(String[] args) throws Exception {
        JvmSettings.apply();
        long speedup = Long.parseLong(args[0]);
        long epochBase = Long.parseLong(args[1]);
        Clock clock = new Clock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public long currentTimeMillis() {
                return epochBase + (System.currentTimeMillis() - epochBase) * speedup;
            }
        };
        Broker broker = new Broker(
                CommandLine.parse(Arrays.copyOfRange(args, 2, args.length)).toConfig(), clock);
        broker.start();
        Thread.currentThread().join(); // Until SIGKILL.
    }
}
