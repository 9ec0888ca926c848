package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interoperability with the mosquitto command-line clients (a C implementation independent of
 * the Java ones): mosquitto_sub receives what Paho publishes and Paho receives what
 * mosquitto_pub publishes, in 3.1.1 and 5.0, at QoS 0, 1 and 2, retained too. The binaries
 * must be installed (CI installs mosquitto-clients); a missing one fails the test. Every
 * process runs with -W (and -C where the count is known) so it cannot hang.
 */
class MosquittoInteropIT extends Clients {

    /** A running mosquitto_sub whose lines ("topic qos retain payload") are collected. */
    private final class Sub implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Sub(TestBroker broker, String version, int qos, String... extra) throws IOException {
            List<String> command = mosquittoCommand("mosquitto_sub", broker, version, qos);
            command.addAll(List.of("-F", "%t %q %r %p", "-W", "10"));
            command.addAll(List.of(extra));
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                            String line;
                            while ((line = r.readLine()) != null) {
                                lines.add(line);
                            }
                        } catch (IOException e) {
                            lines.add("reader failed: " + e);
                        }
                    },
                    "mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line starting with {@code prefix}, skipping others; fails after the timeout. */
        String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String line = lines.poll(50, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new AssertionError(
                    "mosquitto_sub printed no line starting with '" + prefix + "'; alive=" + process.isAlive());
        }

        /** Stops mosquitto_sub, with SIGKILL if SIGTERM has not ended it in 5 s (one once outlived a CI run). */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void mosquittoPub(
            TestBroker broker, String version, int qos, String topic, String message, boolean retain) throws Exception {
        List<String> command = mosquittoCommand("mosquitto_pub", broker, version, qos);
        command.addAll(List.of("-t", topic, "-m", message));
        if (retain) {
            command.add("-r");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "mosquitto_pub did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mosquitto_pub failed: " + output);
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
    void mosquittoSubReceivesWhatPahoPublishes(String version, int qos) throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient paho = paho5(broker, "paho", null);
        try (Sub sub = new Sub(broker, version, qos, "-t", "interop/#")) {
            // Publish a marker until mosquitto_sub shows it is subscribed.
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!sub.lines.stream().anyMatch(l -> l.startsWith("interop/ready"))) {
                assertTrue(System.nanoTime() < deadline, "mosquitto_sub never subscribed: " + sub.lines);
                paho.publish("interop/ready", utf8("r"), 0, false);
                Thread.sleep(50);
            }
            // Act
            paho.publish("interop/data", utf8("from paho"), qos, false);
            // Assert: topic, QoS (min(published, granted) = qos), RETAIN 0, payload.
            assertEquals("interop/data " + qos + " 0 from paho", sub.awaitLine("interop/data"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void mosquittoSubReceivesARetainedMessageFromPaho(String version) throws Exception {
        TestBroker broker = broker();
        paho3(broker, "paho", null).publish("interop/retained", utf8("kept"), 1, true);
        // Act
        try (Sub sub = new Sub(broker, version, 2, "-C", "1", "-t", "interop/retained")) {
            // Assert: delivered on subscribe with RETAIN=1 at the stored QoS.
            assertEquals("interop/retained 1 1 kept", sub.awaitLine("interop/retained"));
        }
    }

    @ParameterizedTest(name = "{0} QoS {1}")
    @CsvSource({"mqttv311,0", "mqttv311,1", "mqttv311,2", "mqttv5,0", "mqttv5,1", "mqttv5,2"})
    void pahoReceivesWhatMosquittoPubPublishes(String version, int qos) throws Exception {
        TestBroker broker = broker();
        Received v3 = new Received();
        Received v5 = new Received();
        paho3(broker, "v3", v3).subscribe("interop/#", 2);
        paho5(broker, "v5", v5).subscribe("interop/#", 2);
        // Act
        mosquittoPub(broker, version, qos, "interop/mosq", "from mosquitto", false);
        // Assert
        assertEquals(qos, v3.expect("interop/mosq", "from mosquitto").qos());
        assertEquals(qos, v5.expect("interop/mosq", "from mosquitto").qos());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mqttv311", "mqttv5"})
    void pahoReceivesARetainedMessageFromMosquittoPub(String version) throws Exception {
        TestBroker broker = broker();
        mosquittoPub(broker, version, 1, "interop/retained", "kept", true);
        Received sub = new Received();
        // Act
        paho5(broker, "late", sub).subscribe("interop/retained", 2);
        // Assert
        Received.Msg got = sub.expect("interop/retained", "kept");
        assertTrue(got.retained());
        assertEquals(1, got.qos());
    }
}
