package dev.cairn.broker.codec;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.cairn.protocol.Properties;
import java.util.List;

/** Packets for round-trip tests; together the MQTT 5 samples use every property identifier. */
final class SamplePackets {
    private SamplePackets() {}

    static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    static Properties connectProperties() {
        return Properties.builder()
                .sessionExpiryIntervalSeconds(3600L)
                .receiveMaximum(20)
                .maximumPacketSizeBytes(65536L)
                .topicAliasMaximum(10)
                .requestResponseInformation(1)
                .requestProblemInformation(0)
                .authenticationMethod("SCRAM-SHA-1")
                .authenticationData(new byte[] {1, 2, 3})
                .addUserProperty("region", "eu")
                .addUserProperty("region", "us")
                .addUserProperty("a", "")
                .build();
    }

    static Properties willProperties() {
        return Properties.builder()
                .willDelayIntervalSeconds(30L)
                .payloadFormatIndicator(1)
                .messageExpiryIntervalSeconds(4_000_000_000L)
                .contentType("text/plain")
                .responseTopic("reply/to/me")
                .correlationData(new byte[] {9, 8, 7})
                .addUserProperty("k", "v")
                .build();
    }

    static Properties connAckProperties() {
        return Properties.builder()
                .sessionExpiryIntervalSeconds(0xFFFF_FFFFL)
                .receiveMaximum(65535)
                .maximumQos(1)
                .retainAvailable(0)
                .maximumPacketSizeBytes(1_048_576L)
                .assignedClientIdentifier("auto-7f3a")
                .topicAliasMaximum(0)
                .reasonString("welcome")
                .addUserProperty("x", "y")
                .wildcardSubscriptionAvailable(1)
                .subscriptionIdentifierAvailable(0)
                .sharedSubscriptionAvailable(1)
                .serverKeepAliveSeconds(120)
                .responseInformation("resp/")
                .serverReference("other:1883")
                .authenticationMethod("SCRAM-SHA-1")
                .authenticationData(new byte[] {4, 5})
                .build();
    }

    static Properties publishProperties() {
        return Properties.builder()
                .payloadFormatIndicator(1)
                .messageExpiryIntervalSeconds(60L)
                .topicAlias(3)
                .responseTopic("r/1")
                .correlationData(new byte[] {0, (byte) 0xFF})
                .contentType("application/json")
                .addUserProperty("b", "2")
                .addUserProperty("a", "1")
                .addUserProperty("b", "2")
                .build();
    }

    /** Only a server may send subscription identifiers in PUBLISH, and it may send several. */
    static Properties serverPublishProperties() {
        return publishProperties().toBuilder()
                .addSubscriptionIdentifier(1)
                .addSubscriptionIdentifier(268_435_455)
                .addSubscriptionIdentifier(128)
                .build();
    }

    static Properties reasonProperties() {
        return Properties.builder()
                .reasonString("why not")
                .addUserProperty("trace", "abc")
                .build();
    }

    static Properties authProperties() {
        return Properties.builder()
                .authenticationMethod("SCRAM-SHA-1")
                .authenticationData(new byte[] {7})
                .reasonString("continue")
                .addUserProperty("step", "2")
                .build();
    }

    static Packet.Connect connect(ProtocolVersion version, Properties properties, Properties willProperties) {
        Packet.Will will = new Packet.Will("last/will", bytes("gone"), QoS.AT_LEAST_ONCE, true, willProperties);
        return new Packet.Connect(version, "client-ü-1", true, 60, "user", bytes("secret"), will, properties);
    }

    static Packet.Connect minimalConnect(ProtocolVersion version) {
        return new Packet.Connect(version, "", false, 0, null, null, null, Properties.EMPTY);
    }

    /** Every entry carries the identifier of {@code properties}, as a decoded SUBSCRIBE does. */
    static Packet.Subscribe subscribe(ProtocolVersion version, Properties properties) {
        boolean v5 = version.isV5();
        List<Integer> ids = properties.subscriptionIdentifiers();
        int id = ids.isEmpty() ? 0 : ids.get(0);
        return new Packet.Subscribe(
                7,
                List.of(
                        new Packet.Subscription(
                                "sensors/+/temp",
                                new SubscriptionOptions(
                                        QoS.AT_MOST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE, id)),
                        new Packet.Subscription(
                                "alerts/#",
                                new SubscriptionOptions(
                                        QoS.AT_LEAST_ONCE,
                                        v5,
                                        false,
                                        v5 ? RetainHandling.SEND_IF_NEW_SUBSCRIPTION : RetainHandling.SEND_ON_SUBSCRIBE,
                                        id)),
                        new Packet.Subscription(
                                "$share/g/x",
                                new SubscriptionOptions(
                                        QoS.EXACTLY_ONCE,
                                        false,
                                        v5,
                                        v5 ? RetainHandling.DO_NOT_SEND : RetainHandling.SEND_ON_SUBSCRIBE,
                                        id))),
                properties);
    }
}
