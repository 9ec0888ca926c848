package dev.cairn.broker.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** Sets the broker's log level ({@code log_level}) at start and on a reload; any thread. */
public final class LogLevels {
    private LogLevels() {}

    /**
     * Sets the level of every logger without one of its own ({@code org.slf4j.simpleLogger.log.NAME}),
     * those that exist and those made later.
     *
     * @return false when the logging back end is not {@link LoggingProvider}'s (SLF4J was not told
     *     to use it), so the level could not change
     */
    public static boolean set(Level level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggingProvider.Factory factory)) {
            return false;
        }
        factory.setDefault(level.toInt());
        return true;
    }
}
