package dev.cairn.broker.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The JVM-wide switches the libraries read from system properties, set once by {@code Main}
 * before any of them loads: Chronicle's phone-home, banner and disk-monitor thread off, and its
 * chatty INFO logging down to WARN (ADR 0010). Tests get the same through surefire and failsafe.
 * And the logging provider whose levels {@code log_level} can change at run time (ADR 0024), with
 * SLF4J's own notes about choosing it (printed at INFO) left out.
 */
public final class JvmSettings {
    /** The SLF4J provider whose levels can change while the broker runs (by name: it depends on this package). */
    public static final String LOGGING_PROVIDER = "dev.cairn.broker.logging.LoggingProvider";

    private static final String LOG_KEY_PREFIX = "org.slf4j.simpleLogger.log.";

    private JvmSettings() {}

    /**
     * Whether {@code org.slf4j.simpleLogger.log.NAME} is set for the logger {@code name} or one of
     * its parents (a.b.c, a.b, a), as a system property or in {@code simplelogger.properties} on
     * the class path: slf4j-simple's documented rule for a logger's own level, which
     * {@code log_level} leaves alone.
     */
    public static boolean loggerHasOwnLevel(String name, Properties settingsFile) {
        String prefix = name;
        while (true) {
            String key = LOG_KEY_PREFIX + prefix;
            if (System.getProperty(key) != null || settingsFile.getProperty(key) != null) {
                return true;
            }
            int dot = prefix.lastIndexOf('.');
            if (dot < 0) {
                return false;
            }
            prefix = prefix.substring(0, dot);
        }
    }

    /** slf4j-simple's optional settings file, {@code simplelogger.properties} on the class path. */
    public static Properties simpleLoggerFile() {
        Properties settings = new Properties();
        try (InputStream in = ClassLoader.getSystemResourceAsStream("simplelogger.properties")) {
            if (in != null) {
                settings.load(in);
            }
        } catch (IOException e) {
            // slf4j-simple ignores an unreadable file too: its settings are then the defaults.
        }
        return settings;
    }

    public static void apply() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setIfAbsent("slf4j.provider", LOGGING_PROVIDER);
        setIfAbsent("slf4j.internal.verbosity", "WARN");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
