package dev.cairn.broker.crash;

import java.util.Random;

/**
 * Runs a crash scenario for several rounds, each with its own seeded {@link Random} that picks the
 * kill moment and the clients' choices. The default is 3 rounds; {@code -Dcairn.crash.rounds=N}
 * (the {@code crash-long} profile) runs more, and {@code -Dcairn.crash.seed=S} replays one round:
 * round r uses seed {@code base + r}, and a failure names that seed.
 */
final class Rounds {
    /** One round of a scenario. */
    interface Round {
        void run(int round, long seed, Random random) throws Exception;
    }

    private Rounds() {}

    static int count() {
        return Integer.getInteger("cairn.crash.rounds", 3);
    }

    static void run(String scenario, Round body) throws Exception {
        Long fixed = Long.getLong("cairn.crash.seed");
        long base = fixed != null ? fixed : System.nanoTime();
        int rounds = count();
        for (int round = 0; round < rounds; round++) {
            long seed = base + round;
            try {
                body.run(round, seed, new Random(seed));
            } catch (Throwable t) {
                throw new AssertionError(
                        scenario + " failed in round " + round + " of " + rounds + " with seed " + seed
                                + " (replay: -Dcairn.crash.seed=" + seed + " -Dcairn.crash.rounds=1): "
                                + t.getMessage(),
                        t);
            }
        }
    }
}
