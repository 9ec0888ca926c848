package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.storage.testing.SmallFileSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: a disk that fills up never kills the broker or loses an acknowledged message. Below
 * disk_free_min_bytes QoS 1/2 PUBLISHes are refused before they are stored (MQTT 5: PUBACK 0x97
 * [MQTT-3.4.2-1]; 3.1.1: closed without PUBACK), new persistent sessions get CONNACK 0x97 (3.1.1:
 * return code 3) [MQTT-3.2.2-6] [MQTT-3.2.2-7] and their SUBSCRIBEs SUBACK 0x97 [MQTT-3.9.3-1],
 * QoS 0 goes on, and once space is back the broker takes messages again by itself; every
 * acknowledged message reaches its subscribers, before and after a restart. Method: the broker's
 * data directory on a 48 MiB tmpfs or ext4 image of the test's own ({@link SmallFileSystem}),
 * under both durability policies; a filler file the test writes leaves room for a few MiB of
 * messages above the threshold, the HiveMQ 5.0 client publishes QoS 1 until refused, raw clients
 * check the exact codes, and the filler's deletion gives the space back.
 */
class FullDiskIT extends Clients {
    private static final long FS_BYTES = 48L << 20;
    private static final long FREE_MIN_BYTES = 16L << 20;
    private static final int PAYLOAD_BYTES = 16 * 1024;
    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(10);

    static Stream<Arguments> fileSystemsAndPolicies() {
        List<Arguments> cases = new ArrayList<>();
        for (SmallFileSystem.Kind kind : SmallFileSystem.Kind.values()) {
            for (String durability : List.of("fsync", "process")) {
                cases.add(Arguments.of(kind, durability));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, durability {1}")
    @MethodSource("fileSystemsAndPolicies")
    void qos1PublishesAreRefusedWhenTheDiskFillsAndEverythingAcknowledgedIsDeliveredAlsoAfterARestart(
            SmallFileSystem.Kind kind, String durability) throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(kind, FS_BYTES)) {
            TestBroker broker = TestBroker.start(Map.of(
                    "data_dir",
                    fs.root().resolve("data").toString(),
                    "durability",
                    durability,
                    "disk_free_min_bytes",
                    Long.toString(FREE_MIN_BYTES),
                    "index_memory_max_bytes",
                    "4194304"));
            try {
                persistentSubscriber(broker, "before-restart");
                persistentSubscriber(broker, "after-restart");
                RawMqttClient existing =
                        raw(broker, connect(ProtocolVersion.MQTT_5, "existing", false, sessionExpiry(3600)));
                RawMqttClient zeroSubscriber = raw(broker, ProtocolVersion.MQTT_5, "zero-sub");
                subscribeRaw(zeroSubscriber, 1, "zero", QoS.AT_MOST_ONCE);
                // Room for about 8 MiB of messages above the threshold.
                Path filler = fs.fill(FREE_MIN_BYTES + (8L << 20));

                // Act: publish QoS 1 until the broker refuses.
                Mqtt5BlockingClient publisher = hive5(broker, "hive-pub");
                publisher.connect();
                List<String> acknowledged = new ArrayList<>();
                Mqtt5PubAckReasonCode refusal = publishUntilRefused(publisher, acknowledged, 100_000);

                // Assert: refused with Quota exceeded, after many were taken.
                assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refusal, "the disk filled without a refusal");
                assertTrue(acknowledged.size() > 100, "acknowledged before the refusal: " + acknowledged.size());
                assertTrue(fs.usableBytes() > 0, "the threshold kept space free: " + fs.usableBytes());
                assertRefusalsWhileShortOfSpace(broker, existing, zeroSubscriber);

                freeSpaceAndCheckEveryAcknowledgedIsDelivered(broker, filler, publisher, acknowledged);
            } finally {
                broker.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}, durability {1}")
    @MethodSource("fileSystemsAndPolicies")
    void withTheThresholdDisabledAFullDiskRefusesQos1InsteadOfFaultingAndRecovers(
            SmallFileSystem.Kind kind, String durability) throws Exception {
        try (SmallFileSystem fs = SmallFileSystem.mount(kind, FS_BYTES)) {
            TestBroker broker = TestBroker.start(Map.of(
                    "data_dir",
                    fs.root().resolve("data").toString(),
                    "durability",
                    durability,
                    "disk_free_min_bytes",
                    "0",
                    "index_memory_max_bytes",
                    "4194304"));
            try {
                persistentSubscriber(broker, "before-restart");
                persistentSubscriber(broker, "after-restart");
                Mqtt5BlockingClient publisher = hive5(broker, "hive-pub");
                publisher.connect();
                List<String> acknowledged = new ArrayList<>();
                publishUntilRefused(publisher, acknowledged, 5); // the journal's cycle file exists now
                Path filler = fs.fillCompletely();

                // Act: the journal cannot write ahead any more; before the fix the appends went on
                // into unallocated blocks and the core thread died of the fault.
                Mqtt5PubAckReasonCode refusal = publishUntilRefused(publisher, acknowledged, 100_000);

                // Assert
                assertEquals(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED, refusal, "the disk filled without a refusal");
                freeSpaceAndCheckEveryAcknowledgedIsDelivered(broker, filler, publisher, acknowledged);
            } finally {
                broker.close();
            }
        }
    }

    /**
     * Deletes the filler: the broker takes QoS 1 messages again by itself; then both persistent
     * subscribers receive every acknowledged message, one before and one after a restart.
     */
    private void freeSpaceAndCheckEveryAcknowledgedIsDelivered(
            TestBroker broker, Path filler, Mqtt5BlockingClient publisher, List<String> acknowledged) throws Exception {
        Files.delete(filler);
        acknowledged.add(awaitAcceptedAgain(publisher));
        publisher.disconnect();
        assertReceivesAll(broker, "before-restart", acknowledged);
        broker.restart();
        assertReceivesAll(broker, "after-restart", acknowledged);
    }

    /** Publishes QoS 1 until refused or {@code max} were acknowledged; returns the refusal's code or null. */
    private static Mqtt5PubAckReasonCode publishUntilRefused(
            Mqtt5BlockingClient publisher, List<String> acknowledged, int max) {
        for (int i = 0; i < max; i++) {
            String id = "m" + acknowledged.size();
            try {
                publisher
                        .publishWith()
                        .topic("fill/" + id)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .payload(payload(id))
                        .send();
                acknowledged.add(id);
            } catch (Mqtt5PubAckException e) {
                return e.getMqttMessage().getReasonCode();
            }
        }
        return null;
    }

    /**
     * While the journal is short of space: a new persistent session is refused (5.0: CONNACK
     * 0x97; 3.1.1: return code 3), an existing one's SUBSCRIBE gets 0x97, a 3.1.1 QoS 1 publisher
     * is closed without PUBACK, and QoS 0 still flows.
     */
    private void assertRefusalsWhileShortOfSpace(
            TestBroker broker, RawMqttClient existing, RawMqttClient zeroSubscriber) throws Exception {
        RawMqttClient v5 = rawSocket(broker, ProtocolVersion.MQTT_5);
        v5.send(connect(ProtocolVersion.MQTT_5, "new-persistent", false, sessionExpiry(3600)));
        Packet.ConnAck refused5 = v5.receive(Packet.ConnAck.class);
        assertEquals(ReasonCode.QUOTA_EXCEEDED, refused5.reason());
        assertFalse(refused5.sessionPresent()); // [MQTT-3.2.2-6]
        v5.awaitClose(TIMEOUT); // [MQTT-3.2.2-7]

        RawMqttClient v3 = rawSocket(broker, ProtocolVersion.MQTT_3_1_1);
        v3.send(connect(ProtocolVersion.MQTT_3_1_1, "new-persistent-311", false, Properties.EMPTY));
        assertEquals(
                ReasonCode.SERVER_UNAVAILABLE, v3.receive(Packet.ConnAck.class).reason(), "return code 3");
        v3.awaitClose(TIMEOUT);

        existing.send(subscribe(7, "more/#", QoS.AT_LEAST_ONCE));
        assertEquals(
                List.of(ReasonCode.QUOTA_EXCEEDED),
                existing.receive(Packet.SubAck.class).reasons());

        RawMqttClient pub311 = raw(broker, ProtocolVersion.MQTT_3_1_1, "pub-311");
        pub311.send(publish("fill/311", QoS.AT_LEAST_ONCE, 1, "refused"));
        assertEquals(0, pub311.awaitClose(TIMEOUT).size(), "closed without a PUBACK");

        RawMqttClient zeroPublisher = raw(broker, ProtocolVersion.MQTT_5, "zero-pub");
        zeroPublisher.send(publish("zero", QoS.AT_MOST_ONCE, 0, "qos 0 goes on"));
        assertEquals(
                "qos 0 goes on",
                text(zeroSubscriber.receive(Packet.Publish.class).payload()));
        assertTrue(broker.stats().messagesRejectedDiskFull() >= 2, "refusals counted");
    }

    /** Publishes until one is acknowledged again; returns its id. Fails after {@link #RESUME_TIMEOUT}. */
    private static String awaitAcceptedAgain(Mqtt5BlockingClient publisher) throws InterruptedException {
        String[] accepted = {null};
        int[] attempt = {0};
        await(
                () -> {
                    String id = "resumed" + attempt[0]++;
                    try {
                        publisher
                                .publishWith()
                                .topic("fill/resumed")
                                .qos(MqttQos.AT_LEAST_ONCE)
                                .payload(payload(id))
                                .send();
                        accepted[0] = id;
                        return true;
                    } catch (Mqtt5PubAckException e) {
                        assertEquals(
                                Mqtt5PubAckReasonCode.QUOTA_EXCEEDED,
                                e.getMqttMessage().getReasonCode());
                        return false;
                    }
                },
                RESUME_TIMEOUT,
                "the broker to accept QoS 1 messages again once space is back");
        return accepted[0];
    }

    private void persistentSubscriber(TestBroker broker, String clientId) throws IOException {
        try (RawMqttClient sub = RawMqttClient.connect(broker, ProtocolVersion.MQTT_5)) {
            sub.send(connect(ProtocolVersion.MQTT_5, clientId, false, sessionExpiry(3600)));
            assertEquals(ReasonCode.SUCCESS, sub.receive(Packet.ConnAck.class).reason());
            subscribeRaw(sub, 1, "fill/#", QoS.AT_LEAST_ONCE);
            sub.send(new Packet.Disconnect(ReasonCode.SUCCESS, Properties.EMPTY));
            sub.awaitClose(TIMEOUT);
        }
    }

    /** Reconnects {@code clientId} and checks it receives every acknowledged message, in order [MQTT-4.6.0-6]. */
    private void assertReceivesAll(TestBroker broker, String clientId, List<String> acknowledged) throws IOException {
        RawMqttClient sub = raw(broker, connect(ProtocolVersion.MQTT_5, clientId, false, sessionExpiry(3600)));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < acknowledged.size(); i++) {
            Packet.Publish p = sub.receive(Packet.Publish.class);
            sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            got.add(idOf(p.payload()));
        }
        assertEquals(acknowledged, got, clientId + " received");
    }

    private static byte[] payload(String id) {
        byte[] payload = new byte[PAYLOAD_BYTES];
        byte[] head = utf8(id + ";");
        System.arraycopy(head, 0, payload, 0, head.length);
        for (int i = head.length; i < payload.length; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        return payload;
    }

    private static String idOf(byte[] payload) {
        String text = text(payload);
        return text.substring(0, text.indexOf(';'));
    }
}
