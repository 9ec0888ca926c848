package dev.cairn.tools.passwd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.tools.ToolRun;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: a password file written by {@code cairn-tools passwd} works in mosquitto as it is (the
 * other direction, mosquitto_passwd's files in Cairn, is the broker's AuthenticationIT). Method:
 * the real mosquitto broker (Debian's package) started with that {@code password_file} and
 * {@code allow_anonymous false}; mosquitto_pub logs in with the right password (exit 0) and a
 * wrong one (refused: mosquitto answers 5, not authorised, to either kind of failure). One user has
 * SCRAM lines ({@code --scram}), which mosquitto must take for comments.
 */
class PasswdMosquittoIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void mosquittoAcceptsTheEntriesCairnWrites() throws Exception {
        Path passwd = dir.resolve("passwd");
        assertEquals(
                0,
                ToolRun.run("passwd", "-c", "-b", "--iterations", "1000", "--scram", passwd, "alice", "wonder")
                        .exitCode());
        assertTrue(
                Files.readString(passwd).contains("\n#scram-sha-256:alice:"),
                "alice has SCRAM lines, comments to mosquitto");
        assertEquals(0, ToolRun.run("passwd", "-b", passwd, "bob", "builder").exitCode(), "the default iterations");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(
                conf,
                // user: started as root, mosquitto would switch to its own user, which may not read
                // a 0600 file in the test's 0700 directory; as anyone else the line is ignored.
                "user " + System.getProperty("user.name") + "\nlistener " + port + " 127.0.0.1\npassword_file " + passwd
                        + "\nallow_anonymous false\n",
                StandardCharsets.UTF_8);
        Process mosquitto = new ProcessBuilder("mosquitto", "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("mosquitto.log").toFile())
                .start();
        try {
            awaitListening(port, mosquitto);
            assertEquals(0, pub(port, "alice", "wonder"), log());
            assertEquals(0, pub(port, "bob", "builder"), log());
            assertEquals(5, pub(port, "alice", "wonde"), log());
            assertEquals(5, pub(port, "bob", "wonder"), log());
        } finally {
            mosquitto.destroy();
            if (!mosquitto.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                mosquitto.destroyForcibly();
            }
        }
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("mosquitto.log"));
    }

    private void awaitListening(int port, Process mosquitto) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(mosquitto.isAlive(), "mosquitto exited: " + log());
                assertTrue(System.nanoTime() < deadline, "mosquitto did not listen: " + log());
                mosquitto.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    private static int pub(int port, String user, String password) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                "mosquitto_pub",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-V",
                "mqttv311",
                "-t",
                "t",
                "-m",
                "x",
                "-u",
                user,
                "-P",
                password));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "mosquitto_pub did not finish");
        return p.exitValue();
    }
}
