package dev.cairn.benchmarks.auth;

import dev.cairn.broker.auth.Authenticator;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.auth.PasswordAuthenticator;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a login costs the core thread when its credentials are cached: {@code quickVerdict} (one
 * HMAC-SHA256 over user name and password and a map lookup) and the release at the end of the
 * connection. This is the per-client cost of a reconnect storm after a network blip, when every
 * device's credentials were verified while it was connected (docs/decisions/0016-password-hash-cost.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class CachedLoginBenchmark {
    private Path file;
    private PasswordAuthenticator authenticator;
    private Authenticator.Request request;

    @Setup(Level.Trial)
    public void verifyOnce() throws IOException {
        file = Files.createTempFile("cairn-jmh-passwd-", "");
        PasswordHash hash = PasswordHash.pbkdf2("s3cret".toCharArray(), 1000, new SecureRandom());
        Files.writeString(file, PasswordFile.empty().with("device-1", hash).text(), StandardCharsets.UTF_8);
        authenticator = ListenerSecurity.open(
                        ConfigLoader.load(null, Map.of("password_file", file.toString(), "data_dir", "unused")),
                        Clock.SYSTEM)
                .authenticator(ListenerConfig.DEFAULT_NAME);
        request = new Authenticator.Request(
                "client-1", "device-1", "s3cret".getBytes(StandardCharsets.UTF_8), "192.0.2.1", false);
        if (!authenticator.verify(request).accepted()) { // Cached from here on (and held: never expires).
            throw new IllegalStateException("the benchmark's credentials were refused");
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public boolean cachedLogin() {
        Authenticator.Outcome outcome = authenticator.quickVerdict(request);
        outcome.release().run();
        return outcome.accepted();
    }
}
