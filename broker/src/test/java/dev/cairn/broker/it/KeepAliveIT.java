package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.ManualClock;
import dev.cairn.broker.testing.RawMqttClient;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.Properties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keep alive and the CONNECT timeout: a silent client is cut off after one and a half keep
 * alive intervals [MQTT-3.1.2-24] and its will is published, a client that pings stays, and a
 * socket that never sends CONNECT is closed after connect_timeout_seconds (section 3.1.4 lets
 * the server close a connection that sends no CONNECT within a reasonable time).
 */
class KeepAliveIT extends Clients {

    private static Packet.Connect silentWithWill(ProtocolVersion version, String clientId) {
        return new Packet.Connect(
                version,
                clientId,
                true,
                1,
                null,
                null,
                new Packet.Will("will/" + clientId, utf8("gone"), QoS.AT_LEAST_ONCE, false, Properties.EMPTY),
                Properties.EMPTY);
    }

    @Test
    void silentMqtt5ClientIsDisconnectedJustAfterOneAndAHalfKeepAlivesAndItsWillIsPublished() throws Exception {
        ManualClock clock = ManualClock.stopped();
        TestBroker broker = broker(Map.of(), clock);
        Received watcher = new Received();
        paho5(broker, "watcher", watcher).subscribe("will/#", 1);
        RawMqttClient silent = raw(broker, silentWithWill(ProtocolVersion.MQTT_5, "silent5"));
        subscribeRaw(silent, 1, "fence/silent5", QoS.AT_MOST_ONCE);
        // Act: send nothing at all while 1.5 s pass, exactly 1.5 x the keep alive.
        broker.advanceClock(Duration.ofMillis(1500));
        // Assert: not "more than" 1.5 x yet, so still connected: the fence reaches it.
        raw(broker, ProtocolVersion.MQTT_5, "fencer").send(publish("fence/silent5", QoS.AT_MOST_ONCE, 0, "here"));
        assertEquals("here", text(silent.receive(Packet.Publish.class).payload()));
        broker.advanceClock(Duration.ofMillis(100));
        // Assert: DISCONNECT 0x8D [MQTT-3.1.2-24], then the close and the will [MQTT-3.1.2-8].
        assertEquals(
                ReasonCode.KEEP_ALIVE_TIMEOUT,
                silent.receive(Packet.Disconnect.class).reason());
        silent.awaitClose(TIMEOUT);
        watcher.expect("will/silent5", "gone");
    }

    /** In real time: guards the wiring of the core's own wake-ups to its timers on the system clock. */
    @Test
    void silentMqtt311ClientIsClosedAfterOneAndAHalfKeepAlivesAndItsWillIsPublished() throws Exception {
        TestBroker broker = broker();
        Received watcher = new Received();
        paho3(broker, "watcher", watcher).subscribe("will/#", 1);
        RawMqttClient silent = raw(broker, silentWithWill(ProtocolVersion.MQTT_3_1_1, "silent311"));
        long connectedAt = System.nanoTime();
        // Act
        silent.awaitClose(TIMEOUT);
        long elapsedMillis = (System.nanoTime() - connectedAt) / 1_000_000;
        // Assert [MQTT-3.1.2-24] (3.1.1), then the will [MQTT-3.1.2-8] (3.1.1).
        assertTrue(elapsedMillis >= 1400 && elapsedMillis < 3000, "closed after " + elapsedMillis + " ms");
        watcher.expect("will/silent311", "gone");
    }

    @Test
    void clientThatPingsWithinItsKeepAliveStaysConnected() throws Exception {
        ManualClock clock = ManualClock.stopped();
        TestBroker broker = broker(Map.of(), clock);
        RawMqttClient pinger = raw(broker, silentWithWill(ProtocolVersion.MQTT_5, "pinger"));
        // Act: a PINGREQ just within 1.5 x the interval, four times: far longer than one allowance.
        for (int i = 0; i < 4; i++) {
            broker.advanceClock(Duration.ofMillis(1400));
            pinger.send(new Packet.PingReq());
            // Assert: each is answered [MQTT-3.12.4-1], so the connection is still open.
            pinger.receive(Packet.PingResp.class);
        }
    }

    /** In real time: the transport stamps a socket's opening with the system clock. */
    @Test
    void socketThatNeverSendsConnectIsClosedAfterTheConnectTimeout() throws Exception {
        TestBroker broker = broker(Map.of("connect_timeout_seconds", "1"));
        long openedAt = System.nanoTime();
        // Act: open a socket and send nothing.
        RawMqttClient mute = rawSocket(broker, ProtocolVersion.MQTT_5);
        // Assert: closed, without a word, after about one second.
        byte[] sent = mute.awaitClose(TIMEOUT).toByteArray();
        long elapsedMillis = (System.nanoTime() - openedAt) / 1_000_000;
        assertEquals(0, sent.length, "nothing is sent before CONNECT");
        assertTrue(elapsedMillis >= 900 && elapsedMillis < 3000, "closed after " + elapsedMillis + " ms");
    }

    @Test
    void mqtt5ClientAskingForNoKeepAliveIsGivenTheMaximumAsServerKeepAlive() throws Exception {
        // The config promises that keep_alive_max_seconds bounds every 5.0 client, and 0 would mean
        // "never time out"; like mosquitto's max_keepalive, the broker answers with its maximum.
        TestBroker broker = broker(Map.of("keep_alive_max_seconds", "5"));
        // Act
        Mqtt5ConnAck ack = hive5(broker, "forever").connectWith().keepAlive(0).send();
        // Assert [MQTT-3.2.2-21]: the client must use the Server Keep Alive.
        assertEquals(5, ack.getServerKeepAlive().orElse(-1));
    }
}
