package dev.cairn.broker.session;

import dev.cairn.broker.delivery.Message;

/** A will from CONNECT: the message to publish and its Will Delay Interval (0 for 3.1.1). */
public record WillMessage(Message message, long delaySeconds) {
}
