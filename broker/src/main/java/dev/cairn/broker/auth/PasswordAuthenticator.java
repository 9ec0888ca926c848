package dev.cairn.broker.auth;

import dev.cairn.broker.config.AuthConfig;
import dev.cairn.broker.time.Clock;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CONNECT's user name and password against mosquitto's {@code password_file}, with
 * mosquitto's rules: a client without a user name is anonymous and connects only where anonymous
 * access is allowed; a client with one needs its password to match the file's entry; with no
 * password file, a user name is taken as given where anonymous access is allowed and refused
 * where it is not (each request says which holds on its listener). One instance serves every
 * listener that names its file ({@link ListenerSecurity}). A wrong password and an unknown user get the same answer, after the same work
 * (an unknown user's password is checked against another user's hash), so neither the reason nor the time says
 * which part was wrong.
 *
 * <p>Threads: {@link #quickVerdict} on the core thread, {@link #verify} on the pool, {@link
 * #reload} on any.
 */
public final class PasswordAuthenticator implements Authenticator {
    private final PasswordStore store;
    private final CredentialCache cache;
    private final AtomicLong hashesComputed = new AtomicLong();

    /**
     * @param store the users, or null when no {@code password_file} is set
     */
    public PasswordAuthenticator(PasswordStore store, AuthConfig config, Clock clock) {
        this.store = store;
        this.cache = new CredentialCache(
                clock, config.cacheSeconds() * 1_000_000_000L, config.cacheEntriesMax(), new SecureRandom());
    }

    @Override
    public Outcome quickVerdict(Request r) {
        boolean anonymousAllowed = r.anonymousAllowed();
        if (r.username() == null) {
            return Outcome.of(anonymousAllowed ? Verdict.ACCEPTED : Verdict.NOT_AUTHORIZED);
        }
        if (store == null) {
            return Outcome.of(anonymousAllowed ? Verdict.ACCEPTED : Verdict.BAD_CREDENTIALS);
        }
        if (r.password() == null) {
            return Outcome.of(Verdict.BAD_CREDENTIALS);
        }
        Runnable release = cache.hit(r.username(), r.password(), store.current().generation());
        return release == null ? null : new Outcome(Verdict.ACCEPTED, release);
    }

    @Override
    public Outcome verify(Request r) {
        if (store == null) {
            return quickVerdict(r); // Nothing to hash: the quick verdict is the whole answer.
        }
        if (r.username() == null || r.password() == null) {
            return quickVerdict(r); // Anonymous or no password: decided without the file's hashes.
        }
        PasswordStore.Snapshot users = store.current();
        hashesComputed.incrementAndGet();
        if (!users.matches(r.username(), r.password())) {
            return Outcome.of(Verdict.BAD_CREDENTIALS);
        }
        return new Outcome(Verdict.ACCEPTED, cache.put(r.username(), r.password(), users.generation()));
    }

    /**
     * Reads the password file again ({@link PasswordStore#reload}); credentials verified against
     * the old file no longer count as cached. Without a password file there is nothing to read.
     */
    public boolean reload() {
        return store != null && store.reload();
    }

    /** Password hashes computed so far (each {@link #verify}); for tests and monitoring. */
    public long hashesComputed() {
        return hashesComputed.get();
    }

    /** Verified credentials held in the cache; for tests and monitoring. */
    public int cachedCredentials() {
        return cache.size();
    }
}
