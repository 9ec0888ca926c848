package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import java.util.List;

/**
 * A decoded MQTT control packet: one immutable record per packet type. Code that handles
 * packets dispatches on {@link #type()} in one switch; there is no other dispatch point.
 * Byte arrays inside packets are owned by the packet and must not be modified.
 * Packet identifiers are 1..65535; 0 means "none" (QoS 0 PUBLISH).
 */
public sealed interface Packet {
    PacketType type();

    /**
     * CONNECT; {@code will} is null when the Will Flag is 0; username/password null when absent.
     * {@code bridge}: the protocol level carried bit 0x80 (0x83 for 3.1, 0x84 for 3.1.1), the mark
     * by which mosquitto's bridges ({@code try_private}) say that the client is a bridge; MQTT 5
     * has no such mark (a bridge asks for No Local itself there).
     */
    record Connect(
            ProtocolVersion version,
            String clientId,
            boolean cleanStart,
            int keepAliveSeconds,
            String username,
            byte[] password,
            Will will,
            Properties properties,
            boolean bridge)
            implements Packet {
        public Connect {
            if (bridge && version == ProtocolVersion.MQTT_5) {
                throw new IllegalArgumentException("the bridge mark exists only in MQTT 3.1 and 3.1.1");
            }
        }

        /** A CONNECT of a client that does not say it is a bridge. */
        public Connect(
                ProtocolVersion version,
                String clientId,
                boolean cleanStart,
                int keepAliveSeconds,
                String username,
                byte[] password,
                Will will,
                Properties properties) {
            this(version, clientId, cleanStart, keepAliveSeconds, username, password, will, properties, false);
        }

        public PacketType type() {
            return PacketType.CONNECT;
        }
    }

    /** The will message carried in CONNECT; properties are the Will Properties (3.1.3.2). */
    record Will(String topic, byte[] payload, QoS qos, boolean retain, Properties properties) {}

    /** CONNACK; for 3.1.1 the reason is mapped to a return code by the encoder. */
    record ConnAck(boolean sessionPresent, ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.CONNACK;
        }
    }

    /**
     * PUBLISH. {@code topic} is the empty string when an MQTT 5 sender relies on a topic alias
     * alone. {@code packetId} is 0 for QoS 0.
     */
    record Publish(
            String topic, QoS qos, boolean retain, boolean dup, int packetId, Properties properties, byte[] payload)
            implements Packet {
        public PacketType type() {
            return PacketType.PUBLISH;
        }
    }

    record PubAck(int packetId, ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.PUBACK;
        }
    }

    record PubRec(int packetId, ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.PUBREC;
        }
    }

    record PubRel(int packetId, ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.PUBREL;
        }
    }

    record PubComp(int packetId, ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.PUBCOMP;
        }
    }

    /**
     * One topic filter with its options in SUBSCRIBE; 3.1.1 has only the QoS. The decoder puts the
     * packet's Subscription Identifier into every entry's options; the encoder writes the one in
     * the packet's properties.
     */
    record Subscription(String filter, SubscriptionOptions options) {
        /** An entry with these options and no Subscription Identifier. */
        public Subscription(
                String filter, QoS maxQos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling) {
            this(filter, new SubscriptionOptions(maxQos, noLocal, retainAsPublished, retainHandling, 0));
        }
    }

    /**
     * SUBSCRIBE. Its Subscription Identifier, a property of the packet, is associated with every
     * subscription it makes (MQTT 5.0 section 3.8.2.1.2), so every entry's options carry it; the
     * constructor refuses a packet whose entries disagree with its properties.
     */
    record Subscribe(int packetId, List<Subscription> subscriptions, Properties properties) implements Packet {
        public Subscribe {
            int id = subscriptionId(properties);
            for (Subscription s : subscriptions) {
                if (s.options().subscriptionId() != id) {
                    throw new IllegalArgumentException("entry " + s.filter() + " has Subscription Identifier "
                            + s.options().subscriptionId() + ", the packet " + id);
                }
            }
        }

        /** The Subscription Identifier in a SUBSCRIBE's properties (at most one), 0 for none. */
        public static int subscriptionId(Properties properties) {
            List<Integer> ids = properties.subscriptionIdentifiers();
            return ids.isEmpty() ? 0 : ids.get(0);
        }

        public PacketType type() {
            return PacketType.SUBSCRIBE;
        }
    }

    /** SUBACK; for 3.1.1 every error reason is encoded as 0x80. */
    record SubAck(int packetId, List<ReasonCode> reasons, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.SUBACK;
        }
    }

    record Unsubscribe(int packetId, List<String> filters, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.UNSUBSCRIBE;
        }
    }

    /** UNSUBACK; 3.1.1 has no reason codes, so the list is not encoded for it. */
    record UnsubAck(int packetId, List<ReasonCode> reasons, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.UNSUBACK;
        }
    }

    record PingReq() implements Packet {
        public PacketType type() {
            return PacketType.PINGREQ;
        }
    }

    record PingResp() implements Packet {
        public PacketType type() {
            return PacketType.PINGRESP;
        }
    }

    /** DISCONNECT; 3.1.1 carries neither reason nor properties (NORMAL_DISCONNECTION, EMPTY). */
    record Disconnect(ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.DISCONNECT;
        }
    }

    /** AUTH (MQTT 5 only). */
    record Auth(ReasonCode reason, Properties properties) implements Packet {
        public PacketType type() {
            return PacketType.AUTH;
        }
    }
}
