package dev.cairn.tools.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.persistence.RetentionReport;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import dev.cairn.tools.ToolRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Goal: the tools understand a journal the broker's retention has trimmed. Method: a real broker
 * with five-minute cycles and a manual clock records a persistent session, a subscription and a
 * retained message, then runs retention over several cycles until the first cycle file is gone
 * (the session's messages relocated); on the stopped directory `verify` must find nothing wrong,
 * while `rebuild-index` must refuse, because the journal alone no longer holds that state.
 */
class RetentionAwareToolsIT {
    private static final Duration CYCLE = Duration.ofMinutes(5);

    @Test
    void verifyAcceptsATrimmedJournalAndRebuildIndexRefusesIt() throws Exception {
        ManualClock clock = new ManualClock();
        TestBroker broker = TestBroker.start(
                Map.of(
                        "durability",
                        "process",
                        "journal_roll_cycle",
                        "five-minutely",
                        "journal_retention_check_seconds",
                        "86400",
                        "journal_relocate_after_cycles",
                        "2"),
                clock);
        Path data = broker.dataDir();
        int packetId = 1;
        try (RawMqttClient offline = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1);
                RawMqttClient pub = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1)) {
            offline.send(new Packet.Connect(
                    ProtocolVersion.MQTT_3_1_1, "keeper", false, 60, null, null, null, Properties.EMPTY));
            offline.receive(Packet.ConnAck.class);
            offline.send(new Packet.Subscribe(
                    1,
                    List.of(new Packet.Subscription(
                            "kept/#", QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                    Properties.EMPTY));
            offline.receive(Packet.SubAck.class);
            offline.send(new Packet.Disconnect(ReasonCode.NORMAL_DISCONNECTION, Properties.EMPTY));
            offline.awaitClose(Duration.ofSeconds(5));
            pub.send(new Packet.Connect(
                    ProtocolVersion.MQTT_3_1_1, "pub", true, 60, null, null, null, Properties.EMPTY));
            pub.receive(Packet.ConnAck.class);
            pub.send(new Packet.Publish(
                    "status/line",
                    QoS.AT_LEAST_ONCE,
                    true,
                    false,
                    packetId++,
                    Properties.EMPTY,
                    "running".getBytes(StandardCharsets.UTF_8)));
            pub.receive(Packet.PubAck.class);
            long deleted = 0;
            for (int cycle = 0; cycle < 6; cycle++) {
                pub.send(new Packet.Publish(
                        "kept/m",
                        QoS.AT_LEAST_ONCE,
                        false,
                        false,
                        packetId++,
                        Properties.EMPTY,
                        ("m" + cycle).getBytes(StandardCharsets.UTF_8)));
                pub.receive(Packet.PubAck.class);
                clock.advanceWallClock(CYCLE);
                RetentionReport report = broker.runRetention();
                deleted += report.filesDeleted();
            }
            assertTrue(deleted > 0, "retention deleted cycle files");
        }
        broker.stopKeepingData();
        try {
            ToolRun verify = ToolRun.run("verify", "--data-dir", data);
            assertEquals(0, verify.exitCode(), verify.toString());
            assertFalse(verify.out().contains("PROBLEM"), verify.toString());

            ToolRun rebuild = ToolRun.run("rebuild-index", "--data-dir", data);
            assertEquals(1, rebuild.exitCode(), rebuild.toString());
            assertTrue(rebuild.out().contains("retention deleted the journal below position"), rebuild.toString());
        } finally {
            broker.deleteData();
        }
    }
}
