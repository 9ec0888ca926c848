package dev.cairn.broker.config;

import java.util.List;

/**
 * A configuration that cannot be used; the message names the key and what is wrong. One exception
 * may carry several problems ({@link #problems()}, one per key), its message then lists them one
 * per line.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    /** Every problem found, in the order found; {@code problems} must not be empty. */
    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Each problem, each naming its key. */
    public List<String> problems() {
        return problems;
    }
}
