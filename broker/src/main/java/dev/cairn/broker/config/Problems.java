package dev.cairn.broker.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems of one configuration, gathered so that a config with several mistakes reports them
 * all at once ({@code cairn --check-config}, and a broker that refuses to start) instead of one
 * per attempt. A check that fails is recorded and a stand-in value lets the following checks run.
 */
final class Problems {
    private final List<String> messages = new ArrayList<>();

    /** The value {@code check} returns; when it throws a {@link ConfigException}, its problems are recorded and {@code standIn} returned. */
    <T> T check(Supplier<T> check, T standIn) {
        try {
            return check.get();
        } catch (ConfigException e) {
            messages.addAll(e.problems());
            return standIn;
        }
    }

    /** Runs {@code check}, recording the problems of a {@link ConfigException} it throws. */
    void run(Runnable check) {
        check(
                () -> {
                    check.run();
                    return null;
                },
                null);
    }

    void add(String message) {
        messages.add(message);
    }

    /** How many problems are recorded: a check compares it before and after to see whether it found any. */
    int count() {
        return messages.size();
    }

    boolean any() {
        return !messages.isEmpty();
    }

    /** Throws every problem recorded so far, if any. */
    void throwIfAny() {
        if (any()) {
            throw new ConfigException(messages);
        }
    }
}
