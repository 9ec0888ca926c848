package dev.cairn.broker.auth;

import java.util.Map;
import java.util.Set;

/**
 * What judges the CONNECTs (and re-authentications) of one listener: its password check for a
 * CONNECT without Authentication Method, and the enhanced methods its {@code auth_methods} names,
 * by name. A method it does not name gets {@link Verdict#BAD_METHOD} (0x8C). A further method
 * (a JWT check, an HTTP hook) is one more {@link Authenticator} in {@code methods}; the core does
 * not change. A reload ({@link #offer}) replaces the methods: a CONNECT or re-authentication that
 * starts afterwards sees the new ones, an exchange already under way finishes with the method it
 * began with. Threads: as {@link Authenticator}; {@link #offer} from the reloading thread.
 */
final class ListenerAuthenticator implements Authenticator {
    private final Authenticator passwords;
    private volatile Map<String, Authenticator> methods;

    ListenerAuthenticator(Authenticator passwords, Map<String, Authenticator> methods) {
        this.passwords = passwords;
        this.methods = Map.copyOf(methods);
    }

    /** The names of the enhanced methods offered. */
    Set<String> methods() {
        return methods.keySet();
    }

    /** Offers {@code next} instead of the methods offered so far (a reload of {@code auth_methods}). */
    void offer(Map<String, Authenticator> next) {
        methods = Map.copyOf(next);
    }

    @Override
    public Outcome quickVerdict(Request r) {
        if (r.method() == null) {
            return passwords.quickVerdict(r);
        }
        Authenticator method = methods.get(r.method());
        return method == null ? Outcome.of(Verdict.BAD_METHOD) : method.quickVerdict(r);
    }

    @Override
    public Outcome verify(Request r) {
        if (r.method() == null) {
            return passwords.verify(r);
        }
        Authenticator method = methods.get(r.method());
        return method == null ? Outcome.of(Verdict.BAD_METHOD) : method.verify(r);
    }
}
