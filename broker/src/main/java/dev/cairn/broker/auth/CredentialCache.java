package dev.cairn.broker.auth;

import dev.cairn.broker.time.Clock;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials verified recently, so that a reconnect storm does not pay the full cost of the
 * password hash again (docs/decisions/0016-password-hash-cost.md). An entry is found by a keyed
 * hash, HMAC-SHA256 with a key drawn at random for this process, over the user name and the
 * password: the cache holds neither the password nor anything that can be checked against a
 * guess without that key, which never leaves memory.
 *
 * <p>An entry stays valid while a connection it let in is open, and for {@code ttlNanos} after
 * the last such connection ended; it counts only for the password file it was verified against
 * (its generation), so a reloaded file invalidates every entry. At most {@code entriesMax}
 * entries: a full cache first drops expired entries, and when that frees nothing, a new
 * verification is simply not cached.
 *
 * <p>Threads: any. Lookups and releases come from the core thread, insertions from the pool.
 */
final class CredentialCache {
    private static final String HMAC = "HmacSHA256";

    private final Clock clock;
    private final long ttlNanos;
    private final int entriesMax;
    private final SecretKeySpec key;
    private final Map<ByteBuffer, Entry> entries = new ConcurrentHashMap<>();

    CredentialCache(Clock clock, long ttlNanos, int entriesMax, SecureRandom random) {
        this.clock = clock;
        this.ttlNanos = ttlNanos;
        this.entriesMax = entriesMax;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.key = new SecretKeySpec(secret, HMAC);
    }

    /** One verified credential: the file it was verified against, its open connections, its expiry. */
    private static final class Entry {
        final long generation;
        final AtomicInteger open = new AtomicInteger();
        volatile long expiresAtNanos;

        Entry(long generation) {
            this.generation = generation;
        }
    }

    boolean enabled() {
        return ttlNanos > 0;
    }

    /**
     * If {@code username}/{@code password} were verified against the file of {@code generation}
     * and the entry is still valid, counts one more open connection on it and returns what ends
     * that connection's hold; otherwise null.
     */
    Runnable hit(String username, byte[] password, long generation) {
        if (!enabled()) {
            return null;
        }
        ByteBuffer k = keyOf(username, password);
        Entry e = entries.get(k);
        if (e == null) {
            return null;
        }
        long now = clock.nanoTime();
        if (e.generation != generation || e.open.get() == 0 && now - e.expiresAtNanos >= 0) {
            entries.remove(k, e);
            return null;
        }
        e.open.incrementAndGet();
        return releaser(e);
    }

    /**
     * Records a credential just verified against the file of {@code generation}, held by one
     * connection; returns what ends that hold (a no-op when the cache is full or disabled).
     */
    Runnable put(String username, byte[] password, long generation) {
        if (!enabled()) {
            return () -> {};
        }
        if (entries.size() >= entriesMax) {
            dropExpired();
            if (entries.size() >= entriesMax) {
                return () -> {};
            }
        }
        Entry e = new Entry(generation);
        e.open.incrementAndGet();
        entries.put(keyOf(username, password), e);
        return releaser(e);
    }

    private Runnable releaser(Entry e) {
        return () -> {
            if (e.open.decrementAndGet() == 0) {
                e.expiresAtNanos = clock.nanoTime() + ttlNanos;
            }
        };
    }

    private void dropExpired() {
        long now = clock.nanoTime();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.open.get() == 0 && now - e.expiresAtNanos >= 0) {
                it.remove();
            }
        }
    }

    int size() {
        return entries.size();
    }

    /** HMAC over the name's length, the name and the password, so no two pairs share an input. */
    private ByteBuffer keyOf(String username, byte[] password) {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(ByteBuffer.allocate(4).putInt(name.length).array());
            mac.update(name);
            mac.update(password);
            return ByteBuffer.wrap(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + HMAC, e);
        }
    }
}
