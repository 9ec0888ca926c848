package dev.cairn.broker.session;

import dev.cairn.broker.codec.ProtocolVersion;

/**
 * What one CONNECT/CONNACK exchange settled for the life of the connection.
 * {@code connectSessionExpirySeconds} is what the client asked for in CONNECT (0 when absent),
 * before our cap: the DISCONNECT rule of section 3.14.2.2.2 is about that value. {@code bridge}:
 * the CONNECT carried the bridge mark of a 3.x bridge ({@link
 * dev.cairn.broker.codec.Packet.Connect#bridge}).
 */
public record Negotiated(
        ProtocolVersion version,
        int keepAliveSeconds,
        int clientReceiveMaximum,
        long clientPacketSizeMaxBytes,
        int clientTopicAliasMax,
        int serverTopicAliasMax,
        WillMessage will,
        long connectSessionExpirySeconds,
        boolean bridge) {}
