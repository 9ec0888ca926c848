package dev.cairn.broker.session;

import dev.cairn.broker.codec.ProtocolVersion;

/** What one CONNECT/CONNACK exchange settled for the life of the connection. */
public record Negotiated(ProtocolVersion version, int keepAliveSeconds, int clientReceiveMaximum,
                         long clientPacketSizeMaxBytes, int clientTopicAliasMax, int serverTopicAliasMax,
                         WillMessage will) {
}
