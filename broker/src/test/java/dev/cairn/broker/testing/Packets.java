package dev.cairn.broker.testing;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.codec.SubscriptionOptions;
import dev.cairn.protocol.Properties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The packets tests send most, built in one place for the broker tests over sockets and the core
 * tests without them.
 */
public final class Packets {
    private Packets() {}

    public static Properties sessionExpiry(long seconds) {
        return Properties.builder().sessionExpiryIntervalSeconds(seconds).build();
    }

    /** SUBSCRIBE with one filter, sending retained messages on subscribe. */
    public static Packet.Subscribe subscribe(int packetId, String filter, QoS qos) {
        return new Packet.Subscribe(
                packetId,
                List.of(new Packet.Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                Properties.EMPTY);
    }

    /**
     * A 5.0 SUBSCRIBE with these entries and a Subscription Identifier (0 for none), which every
     * entry's options carry as the packet's (MQTT 5.0 section 3.8.2.1.2).
     */
    public static Packet.Subscribe subscribe5(int packetId, int subscriptionId, Packet.Subscription... entries) {
        List<Packet.Subscription> withId = new ArrayList<>(entries.length);
        for (Packet.Subscription e : entries) {
            SubscriptionOptions o = e.options();
            withId.add(new Packet.Subscription(
                    e.filter(),
                    new SubscriptionOptions(
                            o.qos(), o.noLocal(), o.retainAsPublished(), o.retainHandling(), subscriptionId)));
        }
        Properties properties = subscriptionId == 0
                ? Properties.EMPTY
                : Properties.builder().addSubscriptionIdentifier(subscriptionId).build();
        return new Packet.Subscribe(packetId, withId, properties);
    }

    public static Packet.Publish publish(String topic, QoS qos, int packetId, String payload) {
        return new Packet.Publish(topic, qos, false, false, packetId, Properties.EMPTY, utf8(payload));
    }

    public static Packet.Publish publish(
            String topic, QoS qos, boolean retain, int packetId, String payload, Properties properties) {
        return new Packet.Publish(topic, qos, retain, false, packetId, properties, utf8(payload));
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
