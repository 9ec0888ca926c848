package dev.cairn.broker.persistence;

import dev.cairn.broker.codec.PropertyBlock;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.delivery.DeliveryState;
import dev.cairn.broker.delivery.Message;
import dev.cairn.broker.session.Identity;
import dev.cairn.broker.session.WillMessage;
import dev.cairn.protocol.Properties;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.storage.record.Will;

/**
 * Between broker values and record values: message expiry as wall-clock millis on disk versus
 * monotonic nanos in memory, delivery states, and property blocks. (A subscription's options are
 * stored as the wire's options byte, {@link dev.cairn.broker.codec.SubscriptionOptions#toByte}.)
 */
final class Conversions {
    private Conversions() {}

    /**
     * A queue entry's state in the index as the delivery's state machine state: the one place the
     * two meet. The index keeps where an entry stands in storage's terms (waiting, sent, released)
     * and its QoS apart; which acknowledgement a sent entry awaits follows from its QoS. The switch
     * has no default, so a state added to either enum does not compile until it is mapped here.
     */
    static DeliveryState deliveryState(dev.cairn.storage.index.DeliveryState stored, QoS qos) {
        return switch (stored) {
            case QUEUED -> DeliveryState.QUEUED;
            case SENT -> DeliveryState.sent(qos);
            case RELEASED -> DeliveryState.AWAITING_PUBCOMP;
        };
    }

    /** Monotonic deadline to wall-clock millis, for the journal; -1 for never. */
    static long expiresAtMillis(long expiresAtNanos, long nowNanos, long nowMillis) {
        if (expiresAtNanos == Message.NEVER_EXPIRES) {
            return -1;
        }
        return nowMillis + Math.floorDiv(expiresAtNanos - nowNanos, 1_000_000L);
    }

    /** Wall-clock millis from the journal to a monotonic deadline. */
    static long expiresAtNanos(long expiresAtMillis, long nowNanos, long nowMillis) {
        if (expiresAtMillis < 0) {
            return Message.NEVER_EXPIRES;
        }
        return nowNanos + (expiresAtMillis - nowMillis) * 1_000_000L;
    }

    /**
     * A recovered retained message as the core holds it (no publisher, not journaled), or null if
     * it has expired by the wall clock.
     */
    static Message retained(
            String topic,
            QoS qos,
            byte[] payload,
            Properties properties,
            long expiresAtMillis,
            long nowNanos,
            long nowMillis) {
        if (expiresAtMillis >= 0 && expiresAtMillis <= nowMillis) {
            return null;
        }
        return new Message(
                topic, qos, true, payload, properties, null, expiresAtNanos(expiresAtMillis, nowNanos, nowMillis));
    }

    static Message message(MessageStored r, long position, long nowNanos, long nowMillis) {
        return new Message(
                r.topic(),
                QoS.fromValue(r.qos()),
                r.retain(),
                r.payload(),
                PropertyBlock.decode(r.properties()),
                r.publisherClientId(),
                expiresAtNanos(r.expiresAtMillis(), nowNanos, nowMillis),
                position);
    }

    /** The will as journaled; its Message Expiry Interval travels inside the property block. */
    static Will will(WillMessage w) {
        Message m = w.message();
        Properties props = m.properties();
        if (w.expirySeconds() != WillMessage.NO_EXPIRY) {
            props = props.toBuilder()
                    .messageExpiryIntervalSeconds(w.expirySeconds())
                    .build();
        }
        return new Will(
                m.topic(), m.qos().value(), m.retain(), PropertyBlock.encode(props), m.payload(), w.delaySeconds());
    }

    /** The session's owner as journaled; null stays null (not known). */
    static SessionOwner owner(Identity identity) {
        return identity == null ? null : new SessionOwner(identity.username(), identity.listener());
    }

    /** The session's owner as recovered; null (journaled before owners were) stays null. */
    static Identity identity(SessionOwner owner) {
        return owner == null ? null : new Identity(owner.username(), owner.listener());
    }

    static WillMessage willMessage(String clientId, Will w) {
        Properties props = PropertyBlock.decode(w.properties());
        Long expiry = props.messageExpiryIntervalSeconds();
        if (expiry != null) {
            props = props.toBuilder().messageExpiryIntervalSeconds(null).build();
        }
        Message m = new Message(
                w.topic(), QoS.fromValue(w.qos()), w.retain(), w.payload(), props, clientId, Message.NEVER_EXPIRES);
        return new WillMessage(m, w.delaySeconds(), expiry == null ? WillMessage.NO_EXPIRY : expiry);
    }
}
