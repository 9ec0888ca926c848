package dev.cairn.protocol;

/** One MQTT 5 user property: a UTF-8 string pair; order and duplicates are significant. */
public record UserProperty(String name, String value) {}
