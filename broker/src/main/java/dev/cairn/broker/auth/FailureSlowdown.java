package dev.cairn.broker.auth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes guessing passwords slow: each failed login from one address delays its refusal, twice as
 * long as the failure before from that address, from {@code delayNanos} up to {@code
 * delayMaxNanos}; an address that has not failed for {@code delayMaxNanos} starts again from
 * {@code delayNanos}. Remembers at most {@code addressesMax} addresses, forgetting the one that
 * failed longest ago. A delay of 0 turns it off.
 *
 * <p>Core thread only (plain fields, the core's time).
 */
public final class FailureSlowdown {
    private final long delayNanos;
    private final long delayMaxNanos;
    private final Map<String, Failures> byAddress;

    private static final class Failures {
        int count;
        long lastNanos;
    }

    public FailureSlowdown(long delayNanos, long delayMaxNanos, int addressesMax) {
        this.delayNanos = delayNanos;
        this.delayMaxNanos = Math.max(delayNanos, delayMaxNanos);
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > addressesMax;
            }
        };
    }

    /** Records a failed login from {@code address} at {@code nowNanos}; returns how long its refusal waits. */
    public long failed(String address, long nowNanos) {
        if (delayNanos == 0) {
            return 0;
        }
        Failures f = byAddress.computeIfAbsent(address, a -> new Failures());
        if (f.count > 0 && nowNanos - f.lastNanos > delayMaxNanos) {
            f.count = 0;
        }
        f.count++;
        f.lastNanos = nowNanos;
        int doublings = Math.min(f.count - 1, 62);
        long delay = delayNanos << doublings;
        return delay <= 0 || delay > delayMaxNanos || (delay >> doublings) != delayNanos ? delayMaxNanos : delay;
    }

    /** Addresses remembered; for tests. */
    public int addresses() {
        return byAddress.size();
    }
}
