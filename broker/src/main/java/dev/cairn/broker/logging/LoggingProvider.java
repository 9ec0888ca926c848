package dev.cairn.broker.logging;

import dev.cairn.broker.config.JvmSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.simple.SimpleLogger;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;

/**
 * slf4j-simple with loggers whose level can change while the broker runs (ADR 0024). slf4j-simple
 * fixes each logger's level when it creates the logger and has no API to change it; this provider
 * extends its three public classes through their protected members only: its factory creates
 * {@link LevelLogger}s, which keep their level in a volatile field of their own and answer
 * slf4j-simple's one level check ({@code isLevelEnabled}) from it. Output, format and the
 * {@code org.slf4j.simpleLogger.*} properties are slf4j-simple's, unchanged.
 *
 * <p>Chosen with the system property {@code slf4j.provider}, which SLF4J reads
 * before it looks for providers on the class path; {@link JvmSettings} sets it before the first
 * logger is made. Without it SLF4J uses plain slf4j-simple, and {@link LogLevels#set} says the level
 * cannot change.
 */
public final class LoggingProvider extends SimpleServiceProvider {
    private final Factory factory = new Factory();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    /** Creates {@link LevelLogger}s and remembers them, to change their levels together. */
    static final class Factory extends SimpleLoggerFactory {
        /** Every logger made; one per name (SLF4J's factory makes each name once). */
        private final List<LevelLogger> loggers = new ArrayList<>();

        private final Properties fileSettings = JvmSettings.simpleLoggerFile();
        /** The level of loggers without one of their own; -1 until {@link #setDefault}: slf4j-simple's. */
        private int defaultLevel = -1;

        @Override
        protected synchronized Logger createLogger(String name) {
            LevelLogger logger = new LevelLogger(name);
            logger.explicit = JvmSettings.loggerHasOwnLevel(name, fileSettings);
            if (!logger.explicit && defaultLevel >= 0) {
                logger.level = defaultLevel;
            }
            loggers.add(logger);
            return logger;
        }

        /** Sets the level of every logger, present and future, that has no level of its own. */
        synchronized void setDefault(int level) {
            defaultLevel = level;
            for (LevelLogger logger : loggers) {
                if (!logger.explicit) {
                    logger.level = level;
                }
            }
        }
    }

    /**
     * A slf4j-simple logger whose level is a volatile field: a change on the reloading thread is
     * seen by the next log call on any thread.
     */
    static final class LevelLogger extends SimpleLogger {
        private static final long serialVersionUID = 1L;

        volatile int level;
        /** Whether the logger has a level of its own, which a change of the default leaves alone. */
        boolean explicit;

        LevelLogger(String name) {
            super(name);
            level = currentLogLevel; // What slf4j-simple's rules gave it.
        }

        @Override
        protected boolean isLevelEnabled(int logLevel) {
            return logLevel >= level;
        }
    }
}
