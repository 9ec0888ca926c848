package dev.cairn.broker.config;

/**
 * The JVM-wide switches the libraries read from system properties, set once by {@code Main}
 * before any of them loads: Chronicle's phone-home, banner and disk-monitor thread off, and its
 * chatty INFO logging down to WARN (ADR 0010). Tests get the same through surefire and failsafe.
 */
public final class JvmSettings {
    private JvmSettings() {}

    public static void apply() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
