package dev.cairn.storage.index;

/** One subscription of a session: the MQTT 5 options byte and the subscription id (0 none). */
public record Subscription(String filter, int options, int subscriptionId) {}
