package dev.cairn.broker.core;

import static dev.cairn.broker.core.CoreHarness.connect;
import static dev.cairn.broker.core.CoreHarness.connect5;
import static dev.cairn.broker.core.CoreHarness.will;
import static dev.cairn.broker.testing.Packets.publish;
import static dev.cairn.broker.testing.Packets.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.testing.Packets;
import dev.cairn.protocol.Properties;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: the core's timers (keep alive, CONNECT timeout, delayed wills, session expiry, and the
 * message expiry they judge queues by) act at the protocol's moment, not before and not much
 * after. Method: the real core on a stopped clock ({@link CoreHarness}); each test moves the clock
 * to just before the moment, checks that nothing happened, then just past it and checks what the
 * client sees. Timers scan every 100 ms of core time, so "just past" is one scan later.
 */
class TimersTest {
    private static final Duration SCAN = Duration.ofMillis(100);

    private CoreHarness core;

    @AfterEach
    void stopCore() {
        if (core != null) {
            core.close();
        }
    }

    private static Packet.Connect withKeepAlive(ProtocolVersion version, String clientId, int keepAliveSeconds) {
        return connect(
                version,
                clientId,
                true,
                keepAliveSeconds,
                will("will/" + clientId, "gone", Properties.EMPTY),
                Properties.EMPTY);
    }

    @Test
    void silentMqtt5ClientGetsKeepAliveTimeoutJustAfterOneAndAHalfIntervalsAndItsWillIsPublished() {
        core = CoreHarness.start();
        RecordingWire watcher = core.watchWills();
        RecordingWire silent = core.connect(withKeepAlive(ProtocolVersion.MQTT_5, "silent", 2));
        // Act: 1.5 x 2 s exactly is not yet "more than" it.
        core.advance(Duration.ofSeconds(3));
        silent.assertNothingMore();
        silent.assertOpen();
        core.advance(SCAN);
        // Assert [MQTT-3.1.2-24]: DISCONNECT 0x8D, then the close; the will goes out [MQTT-3.1.2-8].
        assertEquals(
                ReasonCode.KEEP_ALIVE_TIMEOUT,
                silent.next(Packet.Disconnect.class).reason());
        assertTrue(silent.isClosed());
        assertEquals("gone", text(watcher.next(Packet.Publish.class).payload()));
    }

    @Test
    void silentMqtt311ClientIsClosedWithoutDisconnectAfterOneAndAHalfIntervals() {
        core = CoreHarness.start();
        RecordingWire silent = core.connect(withKeepAlive(ProtocolVersion.MQTT_3_1_1, "silent", 4));
        core.advance(Duration.ofSeconds(6));
        silent.assertOpen();
        // Act
        core.advance(SCAN);
        // Assert [MQTT-3.1.2-24] (3.1.1 has no server DISCONNECT: the connection just closes).
        assertTrue(silent.isClosed());
        silent.assertNothingMore();
    }

    @Test
    void everyPacketFromTheClientRestartsItsKeepAlive() {
        core = CoreHarness.start();
        RecordingWire pinger = core.connect(withKeepAlive(ProtocolVersion.MQTT_5, "pinger", 2));
        // Act: a PINGREQ just before each deadline, for three times the interval and more.
        for (int i = 0; i < 4; i++) {
            core.advance(Duration.ofMillis(2_900));
            core.send(pinger, new Packet.PingReq());
            // Assert [MQTT-3.12.4-1]: answered, so still connected.
            pinger.next(Packet.PingResp.class);
        }
        pinger.assertOpen();
    }

    @Test
    void mqtt5ClientWithoutKeepAliveIsHeldToTheServerKeepAlive() {
        core = CoreHarness.start(Map.of("keep_alive_max_seconds", "10"));
        RecordingWire wire = core.open();
        core.send(wire, connect(ProtocolVersion.MQTT_5, "forever", true, 0, null, Properties.EMPTY));
        // Assert [MQTT-3.2.2-21]: told to use 10 s, and timed out after 1.5 x 10 s.
        assertEquals(10, wire.next(Packet.ConnAck.class).properties().serverKeepAliveSeconds());
        core.advance(Duration.ofSeconds(15));
        wire.assertOpen();
        core.advance(SCAN);
        assertEquals(
                ReasonCode.KEEP_ALIVE_TIMEOUT,
                wire.next(Packet.Disconnect.class).reason());
    }

    @Test
    void connectionThatSendsNoConnectIsClosedSilentlyAfterTheConnectTimeout() {
        core = CoreHarness.start(Map.of("connect_timeout_seconds", "5"));
        RecordingWire mute = core.open();
        core.advance(Duration.ofSeconds(5));
        mute.assertOpen();
        // Act
        core.advance(SCAN);
        // Assert (section 3.1.4 lets the server close it): closed, without a word before CONNECT.
        assertTrue(mute.isClosed());
        mute.assertNothingMore();
    }

    /** The will goes out when its delay runs out, or with the session if that ends first. */
    @ParameterizedTest(name = "will delay {0} s, session expiry {1} s: published after {2} s")
    @CsvSource({"5, 60, 5", "30, 3, 3"})
    void delayedWillIsPublishedAtTheEarlierOfItsDelayAndTheSessionsEndNotBefore(
            long willDelaySeconds, long sessionExpirySeconds, long dueSeconds) {
        core = CoreHarness.start();
        RecordingWire watcher = core.watchWills();
        RecordingWire gone = core.connect(connect(
                ProtocolVersion.MQTT_5,
                "gone",
                false,
                60,
                will(
                        "will/gone",
                        "late",
                        Properties.builder()
                                .willDelayIntervalSeconds(willDelaySeconds)
                                .build()),
                Packets.sessionExpiry(sessionExpirySeconds)));
        core.drop(gone);
        core.advance(Duration.ofSeconds(dueSeconds).minus(Duration.ofMillis(50)));
        watcher.assertNothingMore();
        // Act
        core.advance(SCAN);
        // Assert [MQTT-3.1.3-9]: published once the Will Delay Interval has passed or the session ended.
        assertEquals("late", text(watcher.next(Packet.Publish.class).payload()));
    }

    @Test
    void delayedWillIsCancelledByAReconnectWithinTheDelay() {
        core = CoreHarness.start();
        RecordingWire watcher = core.watchWills();
        Packet.Connect flaky = connect(
                ProtocolVersion.MQTT_5,
                "flaky",
                false,
                60,
                will(
                        "will/flaky",
                        "late",
                        Properties.builder().willDelayIntervalSeconds(5L).build()),
                Packets.sessionExpiry(60));
        core.drop(core.connect(flaky));
        core.advance(Duration.ofSeconds(4));
        // Act: back within the delay, then well past it.
        RecordingWire back = core.connect(flaky);
        core.advance(Duration.ofSeconds(10));
        // Assert [MQTT-3.1.3-9]: the reconnect cancelled the will.
        watcher.assertNothingMore();
        back.assertOpen();
    }

    @Test
    void sessionExpiresWhenItsIntervalHasPassedNotBefore() {
        core = CoreHarness.start();
        core.drop(core.connect(connect5("kept", false, 10)));
        core.drop(core.connect(connect5("ended", false, 10)));
        core.advance(Duration.ofMillis(9_950));
        // Assert [MQTT-3.1.2-23]: still there within the interval.
        RecordingWire kept = core.resume(connect5("kept", false, 10));
        // Act
        core.advance(SCAN);
        // Assert: gone once it has passed; the client starts a new session.
        core.connectWithoutSession(connect5("ended", false, 10));
    }

    @Test
    void aSessionThatExpiredSinceTheLastScanIsNotResumedByACleanStartZeroConnect() {
        core = CoreHarness.start();
        core.drop(core.connect(connect5("late", false, 10)));
        core.advance(Duration.ofMillis(9_950)); // a scan runs here, before the expiry
        // Act: 10 s have passed, but the next scan is not due for another 40 ms.
        core.advance(Duration.ofMillis(60));
        // Assert [MQTT-3.1.2-23]: the session ended with its interval, whatever the scan's rhythm.
        core.connectWithoutSession(connect5("late", false, 10));
    }

    @Test
    void aDelayedWillDueSinceTheLastScanIsPublishedNotCancelledByTheReconnect() {
        core = CoreHarness.start();
        RecordingWire watcher = core.watchWills();
        core.drop(core.connect(connect(
                ProtocolVersion.MQTT_5,
                "due",
                false,
                60,
                will(
                        "will/due",
                        "due",
                        Properties.builder().willDelayIntervalSeconds(5L).build()),
                Packets.sessionExpiry(60))));
        core.advance(Duration.ofMillis(4_950));
        watcher.assertNothingMore();
        // Act: the delay has run out, the next scan is not due yet, and the client comes back.
        core.advance(Duration.ofMillis(60));
        core.resume(connect(ProtocolVersion.MQTT_5, "due", false, 60, null, Packets.sessionExpiry(60)));
        // Assert [MQTT-3.1.3-9]: only a reconnect *before* the delay has passed cancels the will.
        assertEquals("due", text(watcher.next(Packet.Publish.class).payload()));
    }

    @Test
    void offlineQueueDropsExpiredMessagesAndForwardsTheRemainingExpiryOfTheOthers() {
        core = CoreHarness.start();
        core.offlineSubscriber("away", "exp", QoS.AT_LEAST_ONCE);
        RecordingWire pub = core.connect(connect5("pub", true, 0));
        core.send(
                pub,
                publish(
                        "exp",
                        QoS.AT_LEAST_ONCE,
                        false,
                        1,
                        "short-lived",
                        Properties.builder().messageExpiryIntervalSeconds(5L).build()));
        core.send(
                pub,
                publish(
                        "exp",
                        QoS.AT_LEAST_ONCE,
                        false,
                        2,
                        "long-lived",
                        Properties.builder().messageExpiryIntervalSeconds(60L).build()));
        // Act: come back after the first has expired.
        core.advance(Duration.ofSeconds(5));
        RecordingWire back = core.resume(connect5("away", false, 60));
        // Assert [MQTT-3.3.2-5]: only the live one, with exactly what is left of its interval [MQTT-3.3.2-6].
        Packet.Publish got = back.next(Packet.Publish.class);
        assertEquals("long-lived", text(got.payload()));
        assertEquals(55L, got.properties().messageExpiryIntervalSeconds());
        back.assertNothingMore();
    }
}
