package dev.cairn.broker.it;

import static dev.cairn.broker.testing.ReloadFiles.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.config.ConfigKey;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.Packets;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.Scrape;
import dev.cairn.protocol.Properties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: {@code disk_free_min_bytes} and {@code disk_free_warn_bytes} reload on SIGHUP (README,
 * "Configuration"; docs/operations.md, "Reloading: SIGHUP"): the core refuses or accepts QoS 1
 * PUBLISHes by the threshold in force from the first PUBLISH after the reload, the connection
 * stays, and {@code /metrics} shows the warn threshold in force. Method: a child broker started
 * with {@code --config}, its data directory on the test's temp file system, which has X bytes
 * free (read with {@link Files#getFileStore}); thresholds far below X and far above it swap by
 * SIGHUP while one raw MQTT 5 client publishes QoS 1 on one connection. Refused: PUBACK 0x97
 * Quota exceeded, as a disk that fills gives it (FullDiskIT) [MQTT-3.4.2-1]; back below X
 * (and at 0, the check turned off): PUBACK 0x00 again.
 */
class DiskSpaceReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aThresholdRaisedAboveTheFreeSpaceRefusesQos1AndALoweredOneAcceptsAgain() throws Exception {
        long free = Files.getFileStore(dir).getUsableSpace();
        assertTrue(free > 64L << 20, "the temp file system needs some room to test with: " + free + " bytes free");
        long low = free / 16;
        long high = Math.min(free * 4, ConfigKey.DISK_FREE_MIN_BYTES.max());
        long highWarn = Math.min(free * 8, ConfigKey.DISK_FREE_WARN_BYTES.max());
        Path conf = dir.resolve("cairn.conf");
        replace(conf, thresholds(low, low));
        try (ChildBroker broker = ChildBroker.startWithConfig(dir.resolve("data"), dir, conf, Map.of());
                RawMqttClient client = connect(broker)) {
            MqttClient subscriber = new MqttClient(broker.uri(), "subscriber", new MemoryPersistence());
            subscriber.connect(); // Clean session: the disk-space refusal does not apply to it.
            subscriber.subscribe("d/t", 0); // Else the PUBACKs say 0x10 No matching subscribers.
            assertEquals(ReasonCode.SUCCESS, publish(client, 1), "free space is far above " + low);
            assertEquals((double) low, Scrape.of(broker.adminPort()).value("cairn_disk_free_warn_bytes"));

            replace(conf, thresholds(high, highWarn));
            broker.hangUp();
            broker.awaitLog("reload: disk_free_min_bytes = " + high + " (before: " + low + ")", 1, WAIT);
            broker.awaitLog("reload done", 1, WAIT);
            assertEquals(
                    ReasonCode.QUOTA_EXCEEDED,
                    publish(client, 2),
                    "disk_free_min_bytes " + high + " is above the " + free + " bytes free");
            broker.awaitLog("the journal's file system is full or nearly so", 1, WAIT);
            assertEquals(
                    (double) highWarn,
                    Scrape.of(broker.adminPort()).value("cairn_disk_free_warn_bytes"),
                    "/metrics shows the reloaded disk_free_warn_bytes");
            ping(client); // The refusal left the connection open.

            replace(conf, thresholds(low, low));
            broker.hangUp();
            broker.awaitLog("reload done", 2, WAIT);
            assertEquals(ReasonCode.SUCCESS, publish(client, 3), "accepted again below the lowered threshold");
            broker.awaitLog("the journal's file system has space again", 1, WAIT);
            assertEquals((double) low, Scrape.of(broker.adminPort()).value("cairn_disk_free_warn_bytes"));

            replace(conf, thresholds(high, low));
            broker.hangUp();
            broker.awaitLog("reload done", 3, WAIT);
            assertEquals(ReasonCode.QUOTA_EXCEEDED, publish(client, 4));
            replace(conf, thresholds(0, low));
            broker.hangUp();
            broker.awaitLog("reload done", 4, WAIT);
            assertEquals(ReasonCode.SUCCESS, publish(client, 5), "0 turns the check off, also while it refused");

            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
            subscriber.disconnect();
            subscriber.close();
        }
    }

    private static String thresholds(long minBytes, long warnBytes) {
        return "disk_free_min_bytes = " + minBytes + "\ndisk_free_warn_bytes = " + warnBytes + "\n";
    }

    private static RawMqttClient connect(ChildBroker broker) throws IOException {
        RawMqttClient client = new RawMqttClient(broker.host(), broker.port(), ProtocolVersion.MQTT_5);
        client.send(
                new Packet.Connect(ProtocolVersion.MQTT_5, "publisher", true, 60, null, null, null, Properties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, client.receive(Packet.ConnAck.class).reason());
        return client;
    }

    private static void ping(RawMqttClient client) throws IOException {
        client.send(new Packet.PingReq());
        client.receive(Packet.PingResp.class);
    }

    /** A QoS 1 PUBLISH on {@code d/t}; returns its PUBACK's reason code. */
    private static ReasonCode publish(RawMqttClient client, int packetId) throws IOException {
        client.send(Packets.publish("d/t", QoS.AT_LEAST_ONCE, packetId, "m" + packetId));
        return client.receive(Packet.PubAck.class).reason();
    }
}
