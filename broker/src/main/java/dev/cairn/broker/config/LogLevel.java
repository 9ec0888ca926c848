package dev.cairn.broker.config;

import org.slf4j.event.Level;

/**
 * The broker's log level ({@code log_level}): the least severe level logged by every logger that
 * has no level of its own ({@code -Dorg.slf4j.simpleLogger.log.NAME=LEVEL}). The names are the
 * config values.
 */
public enum LogLevel {
    ERROR("error"),
    WARN("warn"),
    INFO("info"),
    DEBUG("debug"),
    TRACE("trace");

    private final String configName;

    LogLevel(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    /** The SLF4J level of the same name. */
    public Level slf4jLevel() {
        return Level.valueOf(name());
    }
}
