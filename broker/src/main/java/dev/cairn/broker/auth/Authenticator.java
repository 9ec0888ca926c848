package dev.cairn.broker.auth;

/**
 * How the broker decides whether a CONNECT may proceed: the seam where authentication methods
 * plug in (the password file today; SCRAM over AUTH, a JWT or an HTTP hook later), so that a new
 * method does not touch the core.
 *
 * <p>The core calls {@link #quickVerdict} on its own thread for every CONNECT; it must answer
 * at once (no I/O, no key stretching) or return null. Then the core hands {@link #verify} to a
 * small pool of its own threads and the CONNECT waits for the answer while the core goes on;
 * {@code verify} may take as long as the check needs. Whatever answer accepts a client carries a
 * {@link Outcome#release} that the core runs on its thread exactly once, when that client's
 * connection ends (or at once if it is not accepted after all).
 *
 * <p>A method that needs more than the CONNECT (a multi-step exchange of AUTH packets, MQTT 5.0
 * section 4.12) is not expressible yet: it will add a continuation to {@link Outcome}.
 */
public interface Authenticator {

    /**
     * What is asked: who connects, with which credentials, from where. The password is the
     * CONNECT's bytes.
     *
     * @param anonymousAllowed whether the listener the client came in on accepts clients without a
     *     user name ({@link dev.cairn.broker.config.ListenerConfig#anonymousAllowed})
     */
    record Request(String clientId, String username, byte[] password, String remoteHost, boolean anonymousAllowed) {}

    /** The answer to a CONNECT's credentials. */
    enum Verdict {
        /** The client may connect. */
        ACCEPTED,
        /** The user name or the password is wrong, or missing where one is needed (0x86; 3.1.1: 4). */
        BAD_CREDENTIALS,
        /** The client may not connect, e.g. anonymous where that is not allowed (0x87; 3.1.1: 5). */
        NOT_AUTHORIZED
    }

    /**
     * A verdict and, for an accepted client, what to run when its connection ends.
     *
     * @param release runs on the core thread once the accepted connection ends; never null
     */
    record Outcome(Verdict verdict, Runnable release) {
        private static final Runnable NOTHING = () -> {};

        public static Outcome of(Verdict verdict) {
            return new Outcome(verdict, NOTHING);
        }

        public boolean accepted() {
            return verdict == Verdict.ACCEPTED;
        }
    }

    /** An answer that needs no expensive work, or null to have {@link #verify} run on the pool. Core thread. */
    Outcome quickVerdict(Request request);

    /** The full check. A pool thread, never the core's; may be slow. */
    Outcome verify(Request request);
}
