package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: a password file written by mosquitto_passwd (Debian's mosquitto 2 package) works in Cairn
 * as it is, and real clients get the exact refusal codes: 3.1.1 CONNACK 4 Bad user name or
 * password / 5 Not authorized, 5.0 0x86 / 0x87 (sections 3.2.2.3 and 3.2.2.2). Method: the file
 * is made by running mosquitto_passwd ({@code -c -b}, {@code -b}, {@code -H sha512 -b}, and
 * {@code -c} reading the password at its prompt from a pipe); a real broker reads it; Paho 3.1.1,
 * Paho 5.0, the HiveMQ client and mosquitto_pub log in with right and wrong passwords and
 * without any. Failed logins are not slowed here (auth_failure_delay_millis 0): the slowing is
 * timed in AuthenticationTest on a manual clock.
 */
class AuthenticationIT extends Clients {
    @TempDir
    Path dir;

    private Path passwd;
    private Path prompted;

    @BeforeEach
    void writeFilesWithMosquittoPasswd() throws Exception {
        passwd = dir.resolve("passwd");
        run(null, "mosquitto_passwd", "-c", "-b", passwd.toString(), "alice", "wonderland");
        run(null, "mosquitto_passwd", "-b", passwd.toString(), "bob", "builder");
        run(null, "mosquitto_passwd", "-H", "sha512", "-b", passwd.toString(), "carol", "old-style");
        prompted = dir.resolve("prompted");
        run("tty-pass\ntty-pass\n", "mosquitto_passwd", "-c", prompted.toString(), "dave");
    }

    /** Runs a command, feeding it {@code input}; returns its exit status and output. */
    private static Result run(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertTrue(p.waitFor(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Result r = new Result(p.exitValue(), output);
        if (command[0].equals("mosquitto_passwd")) {
            assertEquals(0, r.exit, String.join(" ", command) + ": " + output);
        }
        return r;
    }

    private record Result(int exit, String output) {}

    private TestBroker broker(Path file) {
        return broker(Map.of("password_file", file.toString(), "auth_failure_delay_millis", "0"));
    }

    private static MqttConnectOptions login3(String user, String password) {
        MqttConnectOptions o = options3(true);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.toCharArray());
        }
        return o;
    }

    private int paho3ReturnCode(TestBroker broker, String user, String password) throws Exception {
        try {
            paho3(broker, "p3", login3(user, password), null).disconnect();
            return 0;
        } catch (org.eclipse.paho.client.mqttv3.MqttException e) {
            return e.getReasonCode();
        }
    }

    private int paho5ReasonCode(TestBroker broker, String user, String password) throws Exception {
        MqttConnectionOptions o = options5(true, 0);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password.getBytes(StandardCharsets.UTF_8));
        }
        try {
            paho5(broker, "p5", o, null).disconnect();
            return 0;
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void paho311GetsReturnCode4ForBadCredentialsAnd5WithoutAny() throws Exception {
        TestBroker broker = broker(passwd);
        assertEquals(0, paho3ReturnCode(broker, "alice", "wonderland"));
        assertEquals(0, paho3ReturnCode(broker, "bob", "builder"));
        assertEquals(0, paho3ReturnCode(broker, "carol", "old-style"), "a $6$ entry");
        assertEquals(4, paho3ReturnCode(broker, "alice", "builder"));
        assertEquals(4, paho3ReturnCode(broker, "nobody", "wonderland"));
        assertEquals(5, paho3ReturnCode(broker, null, null));
    }

    @Test
    void paho5GetsReasonCode0x86ForBadCredentialsAnd0x87WithoutAny() throws Exception {
        TestBroker broker = broker(passwd);
        assertEquals(0, paho5ReasonCode(broker, "alice", "wonderland"));
        assertEquals(0, paho5ReasonCode(broker, "carol", "old-style"));
        assertEquals(0x86, paho5ReasonCode(broker, "bob", "wonderland"));
        assertEquals(0x86, paho5ReasonCode(broker, "nobody", "x"));
        assertEquals(0x87, paho5ReasonCode(broker, null, null));
    }

    @Test
    void hiveMqGetsTheSameCodes() throws Exception {
        TestBroker broker = broker(passwd);
        hive5(broker, "h-ok")
                .connectWith()
                .simpleAuth()
                .username("bob")
                .password("builder".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        Mqtt5ConnAckException bad = assertThrows(
                Mqtt5ConnAckException.class,
                () -> hive5(broker, "h-bad")
                        .connectWith()
                        .simpleAuth()
                        .username("bob")
                        .password("b".getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth()
                        .send());
        assertEquals(
                Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
                bad.getMqttMessage().getReasonCode());
        Mqtt5ConnAckException anon = assertThrows(
                Mqtt5ConnAckException.class, () -> hive5(broker, "h-anon").connect());
        assertEquals(
                Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, anon.getMqttMessage().getReasonCode());
    }

    /** mosquitto_pub exits with the CONNACK's code when it is refused. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"mqttv311, 4, 5", "mqttv5, 134, 135"})
    void mosquittoPubLogsInWithUserAndPassword(String version, int badCredentials, int notAuthorized) throws Exception {
        TestBroker broker = broker(passwd);
        assertEquals(0, mosquittoPub(broker, version, "alice", "wonderland").exit);
        assertEquals(badCredentials, mosquittoPub(broker, version, "alice", "wrong").exit);
        assertEquals(notAuthorized, mosquittoPub(broker, version, null, null).exit);
    }

    @Test
    void aFileWhosePasswordMosquittoPasswdReadAtItsPromptWorks() throws Exception {
        TestBroker broker = broker(prompted);
        assertEquals(0, paho5ReasonCode(broker, "dave", "tty-pass"));
        assertEquals(0x86, paho5ReasonCode(broker, "dave", "tty-pass\n"));
    }

    /**
     * Safe defaults: a broker bound to every address with allow_anonymous = true given explicitly
     * starts, logs a WARN that anyone can connect, and lets an anonymous client in.
     */
    @Test
    void anonymousAccessOnANonLoopbackBindIsAllowedOnlyExplicitlyAndWarnedAbout() throws Exception {
        try (ChildBroker child =
                ChildBroker.start(dir.resolve("data"), dir, Map.of("bind", "0.0.0.0", "allow_anonymous", "true"))) {
            // The WARN follows the "listening" line that start() returns on: wait for it.
            child.awaitLog("allow_anonymous = true on listener default (0.0.0.0)", 1, Duration.ofSeconds(10));
            assertTrue(
                    child.log()
                            .lines()
                            .anyMatch(l -> l.contains("WARN")
                                    && l.contains("allow_anonymous = true on listener default (0.0.0.0)")),
                    child.log());
            Result pub = run(
                    null,
                    "mosquitto_pub",
                    "-h",
                    "127.0.0.1",
                    "-p",
                    Integer.toString(child.port()),
                    "-t",
                    "t",
                    "-m",
                    "x");
            assertEquals(0, pub.exit, pub.output);
        }
    }

    private static Result mosquittoPub(TestBroker broker, String version, String user, String password)
            throws Exception {
        List<String> command = mosquittoCommand("mosquitto_pub", broker, version, 1);
        command.addAll(List.of("-t", "auth/test", "-m", "hello"));
        if (user != null) {
            command.addAll(List.of("-u", user, "-P", password));
        }
        return run(null, command.toArray(String[]::new));
    }
}
