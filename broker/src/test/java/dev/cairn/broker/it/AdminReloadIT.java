package dev.cairn.broker.it;

import static dev.cairn.broker.testing.ReloadFiles.passwordFile;
import static dev.cairn.broker.testing.ReloadFiles.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.ChildBroker;
import dev.cairn.storage.testing.ExpectedErrorLog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the admin API's credential files reload on SIGHUP, and wrong credentials are answered
 * slowly without holding up other admin requests. Method: a child broker with
 * {@code admin.token_file} and {@code admin.password_file}. (1) Both files are replaced (renamed
 * over) and the broker gets SIGHUP: the old token and password get 401, the new ones 200; a token
 * file that turns bad keeps the token in force, with an ERROR. (2)
 * With {@code auth_failure_delay_millis = 3000}, a request with a wrong token is sent; while its
 * 401 waits, a request with the right token is answered; the 401 comes no sooner than the delay,
 * and the next wrong one from the address waits twice as long (checked against the lower bound
 * only: a slow machine may take longer, never shorter).
 */
class AdminReloadIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String FIRST_TOKEN = "first-token-0123456789abcdef";
    private static final String SECOND_TOKEN = "second-token-0123456789abcdef";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    @ExpectedErrorLog("the admin API keeps the token loaded before")
    void sighupReloadsTheTokenAndThePasswordFile() throws Exception {
        Path token = dir.resolve("token");
        Path passwd = dir.resolve("passwd");
        replace(token, FIRST_TOKEN + "\n");
        replace(passwd, passwordFile("ops", "first"));
        try (ChildBroker broker = ChildBroker.start(
                dir.resolve("data"),
                dir,
                Map.of(
                        "admin.token_file", token.toString(),
                        "admin.password_file", passwd.toString(),
                        "auth_failure_delay_millis", "0"))) {
            assertEquals(200, get(broker, bearer(FIRST_TOKEN)).statusCode());
            assertEquals(200, get(broker, basic("ops", "first")).statusCode());

            replace(token, SECOND_TOKEN + "\n");
            replace(passwd, passwordFile("ops", "second"));
            broker.hangUp();
            broker.awaitLog("reload: the admin API takes the token now in admin.token_file", 1, WAIT);
            broker.awaitLog("reload done", 1, WAIT);

            assertEquals(401, get(broker, bearer(FIRST_TOKEN)).statusCode(), "the removed token");
            assertEquals(200, get(broker, bearer(SECOND_TOKEN)).statusCode(), "the new token");
            assertEquals(401, get(broker, basic("ops", "first")).statusCode(), "the old password");
            assertEquals(200, get(broker, basic("ops", "second")).statusCode(), "the new password");

            replace(token, "short\n");
            broker.hangUp();
            broker.awaitLog("reload done; 1 part(s) kept their old state", 1, WAIT);
            assertEquals(200, get(broker, bearer(SECOND_TOKEN)).statusCode(), "a bad token file keeps the token");
            assertTrue(broker.isAlive(), "SIGHUP must not stop the broker");
        }
    }

    @Test
    void wrongCredentialsAreAnsweredAfterADelayThatDoesNotHoldUpOtherRequests() throws Exception {
        Path token = dir.resolve("token");
        replace(token, FIRST_TOKEN + "\n");
        long delayMillis = 3_000;
        try (ChildBroker broker = ChildBroker.start(
                dir.resolve("data"),
                dir,
                Map.of(
                        "admin.token_file", token.toString(),
                        "auth_failure_delay_millis", Long.toString(delayMillis),
                        "auth_failure_delay_max_millis", "60000"))) {
            long sent = System.nanoTime();
            CompletableFuture<HttpResponse<String>> wrong =
                    http.sendAsync(request(broker, bearer(SECOND_TOKEN)), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, get(broker, bearer(FIRST_TOKEN)).statusCode());
            assertFalse(wrong.isDone(), "the right token's answer came while the wrong one's waits");
            assertEquals(401, wrong.get().statusCode());
            long waited = (System.nanoTime() - sent) / 1_000_000;
            assertTrue(waited >= delayMillis, "the 401 came after " + waited + " ms");

            long again = System.nanoTime();
            assertEquals(401, get(broker, bearer(SECOND_TOKEN)).statusCode());
            long waitedAgain = (System.nanoTime() - again) / 1_000_000;
            assertTrue(
                    waitedAgain >= 2 * delayMillis, "the second failure waits twice as long: " + waitedAgain + " ms");
            assertEquals(401, get(broker, null).statusCode(), "no credentials at all: 401 at once, not a failure");
        }
    }

    private HttpResponse<String> get(ChildBroker broker, String authorization)
            throws IOException, InterruptedException {
        return http.send(request(broker, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(ChildBroker broker, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + broker.adminPort() + "/api/journal"))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
