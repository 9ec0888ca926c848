package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import dev.cairn.broker.testing.ScramClient;
import dev.cairn.broker.testing.ScramUsers;
import dev.cairn.broker.testing.TestBroker;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.ScramCredential.Mechanism;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: a real MQTT 5 client library logs in with SCRAM over AUTH and re-authenticates: the
 * HiveMQ client's enhanced-auth mechanism, with the client side of RFC 5802 written in the test
 * ({@link ScramClient}), succeeds with SCRAM-SHA-256 and SCRAM-SHA-512, is refused with 0x87 for
 * a wrong password, itself rejects a broker whose server signature is wrong (a password file
 * whose ServerKey was altered: the broker accepts the proof but cannot prove it knows the user),
 * re-authenticates on a live connection that keeps delivering, and is disconnected with 0x87 when
 * a re-authentication fails [MQTT-4.12.1-2]. Method: a real broker on a password file written
 * with the protocol module's API (as cairn-tools passwd --scram does).
 */
class ScramHiveMqIT extends Clients {
    @TempDir
    Path dir;

    private Path passwd;

    @BeforeEach
    void writePasswordFile() throws IOException {
        passwd = dir.resolve("passwd");
        Files.writeString(
                passwd,
                ScramUsers.with(PasswordFile.empty(), "alice", "wonderland", Mechanism.values())
                        .text());
    }

    private TestBroker broker(Path file) {
        return broker(Map.of(
                "password_file",
                file.toString(),
                "auth_methods",
                "SCRAM-SHA-256,SCRAM-SHA-512",
                "auth_failure_delay_millis",
                "0"));
    }

    /** The HiveMQ client's enhanced-auth hooks driving the test's SCRAM client; records what happened. */
    static final class Scram implements Mqtt5EnhancedAuthMechanism {
        private final String method;
        private final String user;
        volatile String password;
        private volatile ScramClient exchange;
        final AtomicInteger serverVerified = new AtomicInteger();
        final AtomicInteger serverSignatureRejected = new AtomicInteger();
        final AtomicReference<Mqtt5ConnAck> rejected = new AtomicReference<>();
        final AtomicReference<Mqtt5Disconnect> reAuthRejected = new AtomicReference<>();

        Scram(String method, String user, String password) {
            this.method = method;
            this.user = user;
            this.password = password;
        }

        private byte[] start() {
            byte[] nonce = new byte[12];
            new SecureRandom().nextBytes(nonce);
            exchange =
                    new ScramClient(method, user, password, Base64.getEncoder().encodeToString(nonce));
            return exchange.clientFirst();
        }

        private static byte[] data(Mqtt5EnhancedAuth auth) {
            ByteBuffer b = auth.getData().orElse(ByteBuffer.allocate(0)).duplicate();
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        }

        private CompletableFuture<Boolean> verify(byte[] serverFinal) {
            boolean ok = exchange.serverFinalVerifies(serverFinal);
            (ok ? serverVerified : serverSignatureRejected).incrementAndGet();
            return CompletableFuture.completedFuture(ok);
        }

        @Override
        public MqttUtf8String getMethod() {
            return MqttUtf8String.of(method);
        }

        @Override
        public int getTimeout() {
            return (int) TIMEOUT.toSeconds();
        }

        @Override
        public CompletableFuture<Void> onAuth(
                Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
            auth.data(start());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
            auth.data(start());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder next) {
            next.data(exchange.clientFinal(data(auth)));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            return verify(connAck.getEnhancedAuth().map(Scram::data).orElse(null));
        }

        @Override
        public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
            return verify(data(auth));
        }

        @Override
        public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
            rejected.set(connAck);
        }

        @Override
        public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
            reAuthRejected.set(disconnect);
        }

        @Override
        public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {}

        @Override
        public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {}
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void theRightPasswordLogsInAndTheServerProvesItHoldsTheKeys(String method) {
        TestBroker broker = broker(passwd);
        Scram scram = new Scram(method, "alice", "wonderland");
        Mqtt5ConnAck ack = hive5(broker, "ok").connectWith().enhancedAuth(scram).send();
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
        assertEquals(method, ack.getEnhancedAuth().orElseThrow().getMethod().toString(), "[MQTT-4.12.0-5]");
        assertEquals(1, scram.serverVerified.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCRAM-SHA-256", "SCRAM-SHA-512"})
    void aWrongPasswordIsRefusedWith0x87(String method) {
        TestBroker broker = broker(passwd);
        Scram scram = new Scram(method, "alice", "wonderlanD");
        Mqtt5ConnAckException e = assertThrows(
                Mqtt5ConnAckException.class,
                () -> hive5(broker, "bad").connectWith().enhancedAuth(scram).send());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode());
        assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, scram.rejected.get().getReasonCode());
        assertEquals(0, scram.serverVerified.get());
    }

    /**
     * A broker whose file holds the right StoredKey but another ServerKey accepts the client's
     * proof, but its server-final does not verify: the client refuses that server (RFC 5802
     * section 5, the client authenticates the server) and does not connect.
     */
    @Test
    void theClientRejectsABrokerWhoseServerSignatureIsWrong() throws IOException {
        String text = Files.readString(passwd);
        String line = text.lines()
                .filter(l -> l.startsWith("#scram-sha-256:"))
                .findFirst()
                .orElseThrow();
        String[] f = line.split(":");
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        f[5] = Base64.getEncoder().encodeToString(otherKey); // #scram-sha-256:USER:I:SALT:STORED:SERVER:BINDING
        Path altered = dir.resolve("altered");
        Files.writeString(altered, text.replace(line, String.join(":", f)));
        TestBroker broker = broker(altered);
        Scram scram = new Scram("SCRAM-SHA-256", "alice", "wonderland");
        Mqtt5BlockingClient client = hive5(broker, "forged");
        assertThrows(
                RuntimeException.class,
                () -> client.connectWith().enhancedAuth(scram).send());
        assertEquals(1, scram.serverSignatureRejected.get());
        assertEquals(0, scram.serverVerified.get());
        assertFalse(client.getState().isConnected());
    }

    @Test
    void reauthenticationKeepsTheConnectionAndAFailedOneEndsItWith0x87() throws Exception {
        TestBroker broker = broker(passwd);
        Scram scram = new Scram("SCRAM-SHA-512", "alice", "wonderland");
        Mqtt5BlockingClient client = hive5(broker, "re");
        client.connectWith().enhancedAuth(scram).send();
        client.subscribeWith().topicFilter("t").send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            client.reauth();
            assertEquals(2, scram.serverVerified.get(), "the CONNACK's and the AUTH 0x00's server-final");
            client.publishWith().topic("t").payload(utf8("after")).send();
            assertEquals(
                    "after",
                    text(publishes
                            .receive(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                            .orElseThrow()
                            .getPayloadAsBytes()));
        }
        scram.password = "not-any-more";
        assertThrows(RuntimeException.class, client::reauth);
        await(() -> scram.reAuthRejected.get() != null, TIMEOUT, "the broker's DISCONNECT");
        assertEquals(
                Mqtt5DisconnectReasonCode.NOT_AUTHORIZED,
                scram.reAuthRejected.get().getReasonCode());
        await(() -> !client.getState().isConnected(), TIMEOUT, "the client to be disconnected");
        assertTrue(scram.rejected.get() == null);
    }
}
