package dev.cairn.broker.core;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.PacketType;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.delivery.Delivery;
import dev.cairn.broker.delivery.DeliveryState;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Session;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicName;

/**
 * PUBLISH flows in both directions (section 4.3): inbound PUBLISH and PUBREL from publishers,
 * and PUBACK, PUBREC and PUBCOMP from subscribers for what we sent them. Core thread only.
 */
final class PublishHandler {
    private final BrokerState state;
    private final Lifecycle lifecycle;
    private final Router router;
    private final Deliveries deliveries;

    PublishHandler(BrokerState state, Lifecycle lifecycle, Router router, Deliveries deliveries) {
        this.state = state;
        this.lifecycle = lifecycle;
        this.router = router;
        this.deliveries = deliveries;
    }

    void onPublish(Connection c, Packet.Publish p) {
        String topic = resolveTopic(c, p);
        if (topic == null) {
            return;
        }
        TopicName name;
        try {
            name = TopicName.parse(topic, state.topicLimits);
        } catch (InvalidTopicException e) {
            lifecycle.protocolViolation(c, ReasonCode.TOPIC_NAME_INVALID, "invalid topic: " + e.getMessage());
            return;
        }
        if (p.qos().value() > state.config.qosMax()) {
            lifecycle.protocolViolation(c, ReasonCode.QOS_NOT_SUPPORTED, "QoS above maximum"); // [MQTT-3.2.2-11]
            return;
        }
        if (p.retain() && !state.config.retainAvailable()) {
            lifecycle.protocolViolation(c, ReasonCode.RETAIN_NOT_SUPPORTED, "retain not available"); // [MQTT-3.2.2-14]
            return;
        }
        Session session = c.session();
        if (p.qos() == QoS.EXACTLY_ONCE && session.awaitsPubRel(p.packetId())) {
            // A re-sent QoS 2 PUBLISH we already own: acknowledge again, never route twice [MQTT-4.3.3-10].
            c.send(new Packet.PubRec(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            return;
        }
        // 3.1.1 has no Receive Maximum to tell the client, but the limit applies all the same:
        // without it a client that never sends PUBREL grows the session's QoS 2 id set without
        // bound. Such a client is closed (protocolViolation sends no DISCONNECT in 3.1.1).
        if (p.qos() == QoS.EXACTLY_ONCE && session.awaitingPubRelCount() >= state.config.inflightInboundMax()) {
            lifecycle.protocolViolation(
                    c,
                    ReasonCode.RECEIVE_MAXIMUM_EXCEEDED,
                    "more than Receive Maximum unacknowledged QoS 1/2 PUBLISHes"); // [MQTT-3.3.4-7]
            return;
        }
        // $SYS is the broker's own (SysTopics): no client publishes there, whatever its ACL says.
        if (SysTopics.isSys(topic) || !state.acl(session).canWrite(session.username(), session.clientId(), name)) {
            deny(c, p, topic);
            return;
        }
        Message message = new Message(
                topic,
                p.qos(),
                p.retain(),
                p.payload(),
                Messages.forwardable(p.properties()),
                session.clientId(),
                Messages.expiryOf(p.properties(), state.nowNanos));
        // A QoS 2 packet id of a persistent session is journaled with the message itself.
        int inboundPacketId = p.qos() == QoS.EXACTLY_ONCE && session.isPersistent() ? p.packetId() : 0;
        int receivers = router.publish(message, name, session, inboundPacketId);
        if (receivers == Router.REFUSED) {
            refuse(c, p);
            return;
        }
        acknowledge(c, p, receivers);
    }

    /**
     * A PUBLISH the router refused because a queue it had to enter is full (queue_overflow reject)
     * or because the journal is short of disk space: nothing was journaled, so nothing may be
     * acknowledged. A QoS 0 one (refused only when retained, for disk space) has no
     * acknowledgement to withhold: it is dropped, as QoS 0 (at most once, section 4.3.1) allows. MQTT 5 has
     * a negative acknowledgement: PUBACK or PUBREC with 0x97 Quota exceeded [MQTT-3.4.2-1],
     * [MQTT-3.5.2-1]. A PUBREC of 0x80 or above ends the QoS 2 exchange (section 4.3.3), so the
     * packet id is not kept awaiting PUBREL. MQTT 3.1.1 has none, and acknowledging would say the
     * message is stored: the connection is closed instead, and the client re-sends the PUBLISH
     * when it reconnects [MQTT-4.4.0-1]. Its will is published, as for every close that no
     * DISCONNECT preceded [MQTT-3.1.2-8].
     */
    private void refuse(Connection c, Packet.Publish p) {
        if (p.qos() == QoS.AT_MOST_ONCE) {
            return;
        }
        if (!c.isV5()) {
            lifecycle.serverDisconnect(c, ReasonCode.QUOTA_EXCEEDED, Lifecycle.WillAction.PUBLISH);
        } else if (p.qos() == QoS.AT_LEAST_ONCE) {
            c.send(new Packet.PubAck(p.packetId(), ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY));
        } else {
            c.send(new Packet.PubRec(p.packetId(), ReasonCode.QUOTA_EXCEEDED, Properties.EMPTY));
        }
    }

    /**
     * A PUBLISH on a topic the topic ACL does not let the client write, or on one of the broker's
     * own {@code $SYS} topics: never routed, retained or journaled. MQTT 5 says so: PUBACK or PUBREC with 0x87 Not authorized [MQTT-3.4.2-1],
     * [MQTT-3.5.2-1]; a PUBREC of 0x80 or above ends the QoS 2 exchange (section 4.3.3), so no
     * packet id is kept awaiting PUBREL. MQTT 3.1.1 has no negative acknowledgement: the PUBLISH
     * is acknowledged as usual and not forwarded, as mosquitto does, so the client does not
     * re-send it for ever; its PUBREL (QoS 2) is answered with PUBCOMP like any unknown id. A QoS
     * 0 one is dropped.
     */
    private void deny(Connection c, Packet.Publish p, String topic) {
        state.aclAudit.denied(AclAudit.Denial.PUBLISH, c.session(), topic);
        if (p.qos() == QoS.AT_MOST_ONCE) {
            return;
        }
        ReasonCode reason = c.isV5() ? ReasonCode.NOT_AUTHORIZED : ReasonCode.SUCCESS;
        if (p.qos() == QoS.AT_LEAST_ONCE) {
            c.send(new Packet.PubAck(p.packetId(), reason, Properties.EMPTY));
        } else {
            c.send(new Packet.PubRec(p.packetId(), reason, Properties.EMPTY));
        }
    }

    /**
     * Answers PUBACK or PUBREC. The ack is buffered and leaves when the core loop releases the
     * outbox, after the journal sync that covers the message: acknowledged means on disk.
     */
    private void acknowledge(Connection c, Packet.Publish p, int receivers) {
        ReasonCode reason = receivers == 0 && c.isV5() ? ReasonCode.NO_MATCHING_SUBSCRIBERS : ReasonCode.SUCCESS;
        if (p.qos() == QoS.AT_LEAST_ONCE) {
            c.send(new Packet.PubAck(p.packetId(), reason, Properties.EMPTY));
        } else if (p.qos() == QoS.EXACTLY_ONCE) {
            Session session = c.session();
            session.addAwaitingPubRel(p.packetId());
            c.send(new Packet.PubRec(p.packetId(), reason, Properties.EMPTY));
        }
    }

    /** Applies the Topic Alias (section 3.3.2.3.4); null when the connection was closed for it. */
    private String resolveTopic(Connection c, Packet.Publish p) {
        Integer alias = p.properties().topicAlias();
        if (alias == null) {
            if (p.topic().isEmpty()) {
                lifecycle.protocolViolation(c, ReasonCode.PROTOCOL_ERROR, "empty topic without topic alias");
                return null;
            }
            return p.topic();
        }
        if (!c.isInboundAliasInRange(alias)) {
            lifecycle.protocolViolation(
                    c,
                    ReasonCode.TOPIC_ALIAS_INVALID,
                    "topic alias " + alias + " outside 1.." + state.config.topicAliasMax()); // [MQTT-3.3.2-9]
            return null;
        }
        if (p.topic().isEmpty()) {
            String mapped = c.inboundAlias(alias);
            if (mapped == null) {
                lifecycle.protocolViolation(c, ReasonCode.PROTOCOL_ERROR, "unknown topic alias " + alias);
                return null;
            }
            return mapped;
        }
        c.setInboundAlias(alias, p.topic());
        return p.topic();
    }

    /**
     * PUBREL for an inbound QoS 2 message: forget the packet id, answer PUBCOMP [MQTT-4.3.3-11].
     * A persistent session journals the release, and PUBCOMP waits for it: after a crash the id
     * must not still look unreleased, or a new PUBLISH re-using it would be taken for a duplicate.
     * A non-persistent session journals nothing (its state ends with the process), so its PUBCOMP
     * depends on no record of this turn and may leave before the turn's sync. The message itself
     * is durable already: PUBCOMP follows this connection's PUBREC for it, which waited for it.
     */
    void onPubRel(Connection c, Packet.PubRel p) {
        Session session = c.session();
        boolean known = session.removeAwaitingPubRel(p.packetId());
        ReasonCode reason = known || !c.isV5() ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        Packet.PubComp pubComp = new Packet.PubComp(p.packetId(), reason, Properties.EMPTY);
        if (known && session.isPersistent()) {
            state.persistence.inboundQos2Released(session.clientId(), p.packetId());
            c.send(pubComp);
        } else {
            c.sendIndependent(pubComp);
        }
    }

    void onPubAck(Connection c, Packet.PubAck p) {
        if (outOfStage(
                c, PacketType.PUBACK, p.packetId(), DeliveryState.AWAITING_PUBACK, DeliveryState.AWAITING_PUBACK)) {
            return;
        }
        Delivery done = c.session().outbound().onPubAck(p.packetId());
        if (done != null) {
            deliveries.pump(c.session());
        }
    }

    /**
     * PUBREC for a QoS 2 message we sent: PUBREL [MQTT-4.3.3-4]. A repeated PUBREC (the message
     * already waits for PUBCOMP) gets PUBREL again. For an id with nothing in flight, 5.0 says so
     * with PUBREL 0x92; 3.1.1 has no such code and its sender rule is to answer every PUBREC with
     * PUBREL [MQTT-4.3.3-1], which lets a client that lost our PUBCOMP finish its own state.
     */
    void onPubRec(Connection c, Packet.PubRec p) {
        if (outOfStage(
                c, PacketType.PUBREC, p.packetId(), DeliveryState.AWAITING_PUBREC, DeliveryState.AWAITING_PUBCOMP)) {
            return;
        }
        Delivery d = c.session().outbound().onPubRec(p.packetId(), p.reason().isError());
        if (d == null) {
            ReasonCode reason = c.isV5() ? ReasonCode.PACKET_IDENTIFIER_NOT_FOUND : ReasonCode.SUCCESS;
            c.send(new Packet.PubRel(p.packetId(), reason, Properties.EMPTY));
            return;
        }
        if (p.reason().isError()) {
            deliveries.pump(c.session());
            return;
        }
        c.send(new Packet.PubRel(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY)); // [MQTT-4.3.3-4]
    }

    void onPubComp(Connection c, Packet.PubComp p) {
        if (outOfStage(
                c, PacketType.PUBCOMP, p.packetId(), DeliveryState.AWAITING_PUBCOMP, DeliveryState.AWAITING_PUBCOMP)) {
            return;
        }
        if (c.session().outbound().onPubComp(p.packetId()) != null) {
            deliveries.pump(c.session());
        }
    }

    /**
     * An acknowledgement for a message in flight must be the one its QoS flow waits for (sections
     * 4.3.2, 4.3.3): PUBACK for QoS 1, PUBREC then PUBCOMP for QoS 2. PUBREC or PUBCOMP for a
     * QoS 1 message, PUBACK or PUBCOMP for one awaiting PUBREC, or PUBACK for one awaiting
     * PUBCOMP means the client broke the protocol: 5.0 DISCONNECT 0x82 [MQTT-4.13.1-1], 3.1.1
     * close [MQTT-4.8.0-1]. Returns true when it did so. Nothing of the delivery changes first,
     * so a persistent session keeps it in flight and re-sends it on reconnect. An id with nothing
     * in flight is tolerated (a late duplicate after a reconnect is normal) and returns false.
     */
    private boolean outOfStage(
            Connection c, PacketType ack, int packetId, DeliveryState expected, DeliveryState alsoAccepted) {
        DeliveryState inFlight = c.session().outbound().inflightState(packetId);
        if (inFlight == null || inFlight == expected || inFlight == alsoAccepted) {
            return false;
        }
        lifecycle.protocolViolation(
                c,
                ReasonCode.PROTOCOL_ERROR,
                ack + " for packet id " + packetId + ", which is " + inFlight + " (sections 4.3.2, 4.3.3)");
        return true;
    }
}
