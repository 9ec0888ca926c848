package dev.cairn.broker.retention;

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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The disk-bound run of docs/durability.md ("Retention"): steady QoS 1 load through a real broker
 * with five-minute cycle files, the subscriber online and acknowledging, the wall clock moved one
 * cycle per round and a retention step after each. Prints, per round, the cycle files on disk,
 * their apparent size and the blocks allocated ({@code du}). Not a test; run by hand:
 * {@code java -cp <test classpath> dev.cairn.broker.retention.RetentionDiskRun CYCLES PER_CYCLE PAYLOAD_BYTES}.
 */
public final class RetentionDiskRun {
    private RetentionDiskRun() {}

    public static void main(String[] args) throws Exception {
        int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int perCycle = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int payloadBytes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        String durability = args.length > 3 ? args[3] : "fsync";
        ManualClock clock = new ManualClock();
        byte[] payload = new byte[payloadBytes];
        try (TestBroker broker = TestBroker.start(
                        Map.of(
                                "durability",
                                durability,
                                "journal_roll_cycle",
                                "five-minutely",
                                "journal_retention_check_seconds",
                                "86400"),
                        clock);
                RawMqttClient sub = connect(broker, "disk-sub", false);
                RawMqttClient pub = connect(broker, "disk-pub", true)) {
            sub.send(new Packet.Subscribe(
                    1,
                    List.of(new Packet.Subscription(
                            "load/#", QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE)),
                    Properties.EMPTY));
            sub.receive(Packet.SubAck.class);
            Path journal = broker.dataDir().resolve("journal");
            System.out.printf("round,messages_total,cq4_files,apparent_bytes,allocated_kib,deleted_files,ms,files%n");
            long total = 0;
            int id = 0;
            for (int c = 0; c < cycles; c++) {
                long start = System.nanoTime();
                for (int sent = 0; sent < perCycle; sent += 100) {
                    for (int i = 0; i < 100; i++) {
                        id = id == 0xFFFF ? 1 : id + 1;
                        pub.send(new Packet.Publish(
                                "load/" + c, QoS.AT_LEAST_ONCE, false, false, id, Properties.EMPTY, payload));
                    }
                    for (int i = 0; i < 100; i++) {
                        pub.receive(Packet.PubAck.class);
                    }
                    for (int i = 0; i < 100; i++) {
                        Packet.Publish p = sub.receive(Packet.Publish.class);
                        sub.send(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
                    }
                }
                total += perCycle;
                clock.advanceWallClock(Duration.ofMinutes(5));
                RetentionReport report = broker.runRetention();
                List<Path> files = cq4(journal);
                long apparent = 0;
                for (Path f : files) {
                    apparent += Files.size(f);
                }
                System.out.printf(
                        "%d,%d,%d,%d,%d,%d,%d,%s%n",
                        c,
                        total,
                        files.size(),
                        apparent,
                        du(journal),
                        report.filesDeleted(),
                        (System.nanoTime() - start) / 1_000_000,
                        files.stream().map(f -> f.getFileName().toString()).toList());
            }
        }
    }

    private static RawMqttClient connect(TestBroker broker, String clientId, boolean cleanStart) throws IOException {
        RawMqttClient client = RawMqttClient.connect(broker, ProtocolVersion.MQTT_3_1_1);
        client.send(new Packet.Connect(
                ProtocolVersion.MQTT_3_1_1, clientId, cleanStart, 0, null, null, null, Properties.EMPTY));
        client.receive(Packet.ConnAck.class);
        return client;
    }

    private static List<Path> cq4(Path journal) throws IOException {
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4"))
                    .sorted()
                    .toList();
        }
    }

    private static long du(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("du", "-sk", dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        p.waitFor();
        return Long.parseLong(out.split("\\s+")[0]);
    }
}
