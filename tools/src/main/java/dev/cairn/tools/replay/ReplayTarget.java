package dev.cairn.tools.replay;

import dev.cairn.protocol.Properties;

/**
 * Where replay sends messages: a broker over MQTT 5 or 3.1.1, or (dry run) the output. The seam
 * has real implementations for each protocol version. Confined to the replaying thread.
 */
interface ReplayTarget extends AutoCloseable {
    /** One message to publish; {@code expirySeconds} is {@code null} for none. */
    record Outgoing(
            long position,
            String topic,
            byte[] payload,
            int qos,
            boolean retain,
            Properties properties,
            Long expirySeconds) {}

    /**
     * Publishes and returns once the broker acknowledged it (QoS 1/2) or it was written (QoS 0).
     *
     * @throws ReplayException if the broker refused it or the connection failed
     */
    void publish(Outgoing message);

    @Override
    void close();

    /** Replay could not go on: the message names the broker and the cause. */
    final class ReplayException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplayException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
