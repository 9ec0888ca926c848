package dev.cairn.benchmarks.load;

import java.util.Locale;

/** The traffic shapes the load generator can drive; see docs/benchmarks.md for each. */
enum Scenario {
    /** Publisher i publishes to its own topic, which subscriber i alone subscribes to. */
    PAIRWISE,
    /** N publishers, one topic, one subscriber. */
    FAN_IN,
    /** One publisher, one topic, N subscribers. */
    FAN_OUT,
    /** N publishers, one topic, a {@code $share/g/} group of M subscribers. */
    SHARED,
    /** A persistent session goes offline, K messages queue for it, and we time the drain. */
    BACKLOG,
    /** N idle connections opened at a given rate and held. */
    CONNECTIONS,
    /** N connections opened as fast as the broker answers, each closed after its CONNACK. */
    CONNECT_STORM;

    String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Scenario fromCliName(String name) {
        for (Scenario scenario : values()) {
            if (scenario.cliName().equals(name)) {
                return scenario;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'");
    }
}
