package dev.cairn.broker.core;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketType;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.ConnectionPhase;
import dev.cairn.protocol.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one dispatch point for packets (ARCHITECTURE.md, "Decode once"): a switch on the packet type that
 * hands each packet to its handler, and the one place decode errors become a CONNACK, a
 * DISCONNECT or a close. Core thread only.
 */
final class PacketDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(PacketDispatcher.class);

    private final BrokerState state;
    private final Lifecycle lifecycle;
    private final ConnectHandler connects;
    private final PublishHandler publishes;
    private final SubscribeHandler subscribes;

    PacketDispatcher(
            BrokerState state,
            Lifecycle lifecycle,
            ConnectHandler connects,
            PublishHandler publishes,
            SubscribeHandler subscribes) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.connects = connects;
        this.publishes = publishes;
        this.subscribes = subscribes;
    }

    void onPacket(Connection c, Packet packet) {
        if (c.phase() == ConnectionPhase.CLOSED || c.phase() == ConnectionPhase.REFUSING) {
            // Input that raced the close, or that follows a refused CONNECT: the spec says
            // nothing more is processed [MQTT-3.1.4-5] (5.0: [MQTT-3.1.4-6]).
            return;
        }
        c.touch(state.nowNanos);
        if (c.phase() == ConnectionPhase.AUTHENTICATING) {
            if (c.authMethod() != null) {
                connects.onPacketDuringExchange(c, packet); // Enhanced authentication (4.12).
            } else {
                hold(c, packet);
            }
            return;
        }
        switch (packet.type()) {
            case CONNECT:
                connects.onConnect(c, (Packet.Connect) packet);
                break;
            case PUBLISH:
                publishes.onPublish(c, (Packet.Publish) packet);
                break;
            case PUBACK:
                publishes.onPubAck(c, (Packet.PubAck) packet);
                break;
            case PUBREC:
                publishes.onPubRec(c, (Packet.PubRec) packet);
                break;
            case PUBREL:
                publishes.onPubRel(c, (Packet.PubRel) packet);
                break;
            case PUBCOMP:
                publishes.onPubComp(c, (Packet.PubComp) packet);
                break;
            case SUBSCRIBE:
                subscribes.onSubscribe(c, (Packet.Subscribe) packet);
                break;
            case UNSUBSCRIBE:
                subscribes.onUnsubscribe(c, (Packet.Unsubscribe) packet);
                break;
            case PINGREQ:
                c.send(new Packet.PingResp()); // [MQTT-3.12.4-1]
                break;
            case DISCONNECT:
                onDisconnect(c, (Packet.Disconnect) packet);
                break;
            case AUTH:
                if (c.phase() == ConnectionPhase.AWAITING_CONNECT) {
                    // The first packet must be CONNECT [MQTT-3.1.0-1].
                    lifecycle.protocolViolation(c, ReasonCode.PROTOCOL_ERROR, "AUTH before CONNECT [MQTT-3.1.0-1]");
                } else {
                    connects.onAuth(c, (Packet.Auth) packet); // Re-authentication (4.12.1).
                }
                break;
            default:
                // The decoder rejects packets only a server sends; reaching here is a bug.
                throw new IllegalStateException("unexpected packet type " + packet.type());
        }
    }

    /**
     * A client may send packets right after its CONNECT without waiting for the CONNACK
     * (section 3.1.4); while the CONNECT's credentials are checked they wait, at most
     * inflight_inbound_max of them, and are processed in order once it is accepted. A client
     * that sends more is closed.
     */
    private void hold(Connection c, Packet packet) {
        if (!c.hold(packet, state.config.inflightInboundMax())) {
            LOG.info(
                    "closing connection {}: more than {} packets sent before its CONNECT was answered",
                    c.wire().id(),
                    state.config.inflightInboundMax());
            lifecycle.close(c, Lifecycle.WillAction.DISCARD);
        }
    }

    /**
     * The pool's answer on a CONNECT's credentials (or a step of a re-authentication): continues
     * the CONNECT, then what the client sent meanwhile.
     */
    void onAuthenticated(Command.Authenticated a) {
        Connection c = a.connection();
        connects.onAuthenticated(c, a.pending(), a.outcome());
        for (Packet held : c.takeHeld()) {
            onPacket(c, held);
        }
    }

    private void onDisconnect(Connection c, Packet.Disconnect p) {
        Long expiry = p.properties().sessionExpiryIntervalSeconds();
        if (expiry != null && c.session() != null) {
            // The rule is about what the CONNECT said, not the value our cap left: a client that
            // asked for 10 and was granted 0 may still ask again here (section 3.14.2.2.2).
            if (c.connectSessionExpirySeconds() == 0 && expiry != 0) {
                lifecycle.protocolViolation(
                        c,
                        ReasonCode.PROTOCOL_ERROR,
                        "DISCONNECT sets a session expiry after CONNECT set 0 (3.14.2.2.2)");
                return;
            }
            c.session().setExpiryIntervalSeconds(Math.min(expiry, state.limits.sessionExpiryMaxSeconds()));
        }
        // A normal DISCONNECT discards the will [MQTT-3.14.4-3]; 0x04 asks for it to be sent.
        Lifecycle.WillAction willAction = p.reason() == ReasonCode.DISCONNECT_WITH_WILL_MESSAGE
                ? Lifecycle.WillAction.PUBLISH
                : Lifecycle.WillAction.DISCARD;
        lifecycle.close(c, willAction);
    }

    /**
     * Malformed input or a protocol error found by the decoder. A CONNECT the decoder could read
     * far enough to know the client's version (its protocol name and level) is refused with a
     * CONNACK in that version: 0x01 in the 3.1.1 encoding for an unsupported level
     * [MQTT-3.1.2-2], or the 5.0 reason code, which section 4.13.1 allows and which tells the
     * client why. The error's version is null when no answer is due (every 3.1.1 CONNECT error,
     * or a CONNECT whose version is unknown); everything else goes to protocolViolation.
     */
    void onDecodeError(Connection c, DecodeError error) {
        if (c.phase() == ConnectionPhase.CLOSED || c.phase() == ConnectionPhase.REFUSING) {
            return;
        }
        if (c.phase() == ConnectionPhase.AUTHENTICATING) {
            // Broken input after the CONNECT: the connection ends before its CONNACK; the check's
            // answer, when it comes, finds it closed.
            LOG.info(
                    "closing connection {}: bad packet before its CONNECT was answered: {}",
                    c.wire().id(),
                    error.message());
            lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            return;
        }
        boolean refusableConnect = c.phase() == ConnectionPhase.AWAITING_CONNECT
                && error.packetType() == PacketType.CONNECT
                && error.version() != null;
        if (refusableConnect) {
            LOG.info("refusing connection {}: bad CONNECT: {} [{}]", c.wire().id(), error.message(), error.reason());
            // Session Present is 0 on every refusal [MQTT-3.2.2-6]; then close [MQTT-3.2.2-7].
            c.send(new Packet.ConnAck(false, error.reason(), Properties.EMPTY));
            lifecycle.close(c, Lifecycle.WillAction.DISCARD);
            return;
        }
        lifecycle.protocolViolation(c, error.reason(), "bad packet: " + error.message());
    }
}
