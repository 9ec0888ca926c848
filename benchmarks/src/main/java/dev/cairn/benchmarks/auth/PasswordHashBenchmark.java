package dev.cairn.benchmarks.auth;

import dev.cairn.protocol.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one login costs the broker: verifying a password against a {@code $7$} entry
 * (PBKDF2-HMAC-SHA512 through the JDK) at the iteration counts weighed in
 * docs/decisions/0016-password-hash-cost.md. One thread, as one auth pool thread verifies one CONNECT at a time; the time per
 * verification multiplied by the logins to serve and divided by {@code auth_threads} is how long
 * a reconnect storm waits when nothing is cached. The same figure per guess, times the guesses,
 * is what a stolen file costs an attacker with one such core (far less per guess on GPUs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class PasswordHashBenchmark {
    @Param({"1000", "10000", "50000", "210000"})
    public int iterations;

    private PasswordHash pbkdf2;
    private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

    @Setup(Level.Trial)
    public void hash() {
        pbkdf2 = PasswordHash.pbkdf2("correct horse battery staple".toCharArray(), iterations, new SecureRandom());
    }

    @Benchmark
    public boolean verifyPbkdf2() {
        return pbkdf2.matches(password);
    }
}
