package dev.cairn.broker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.JvmSettings;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Goal: the provider's loggers change level with {@link LoggingProvider.Factory#setDefault}, those
 * made before and after, except a logger with a level of its own
 * ({@code org.slf4j.simpleLogger.log.NAME}, on itself or a parent), which keeps slf4j-simple's
 * meaning. Method: a provider of the test's own (not the one SLF4J uses in this JVM), loggers of
 * names no other test uses.
 */
class LoggingProviderTest {
    private static final String OWN = "dev.cairn.test.logging.own";

    @Test
    void theDefaultLevelChangesEveryLoggerWithoutALevelOfItsOwn() {
        System.setProperty("org.slf4j.simpleLogger.log." + OWN, "error");
        try {
            LoggingProvider provider = new LoggingProvider();
            provider.initialize();
            LoggingProvider.Factory factory = (LoggingProvider.Factory) provider.getLoggerFactory();
            Logger before = factory.getLogger("dev.cairn.test.logging.before");
            Logger child = factory.getLogger(OWN + ".child");
            assertTrue(before.isInfoEnabled(), "slf4j-simple's default, info");
            assertFalse(before.isDebugEnabled());
            assertFalse(child.isWarnEnabled(), "the parent's own level, error");

            factory.setDefault(Level.DEBUG.toInt());
            assertTrue(before.isDebugEnabled(), "a logger made before the change follows it");
            assertFalse(before.isTraceEnabled());
            Logger after = factory.getLogger("dev.cairn.test.logging.after");
            assertTrue(after.isDebugEnabled(), "a logger made after the change gets it");
            assertFalse(child.isWarnEnabled(), "a logger with a level of its own keeps it");
            assertTrue(child.isErrorEnabled());

            factory.setDefault(Level.WARN.toInt());
            assertFalse(before.isInfoEnabled());
            assertFalse(after.isInfoEnabled());
            assertTrue(after.isWarnEnabled());
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log." + OWN);
        }
    }

    @Test
    void theJvmSettingsNameThisProvider() {
        assertEquals(LoggingProvider.class.getName(), JvmSettings.LOGGING_PROVIDER);
    }
}
