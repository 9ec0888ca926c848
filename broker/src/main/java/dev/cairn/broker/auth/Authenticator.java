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
 * <p>A method that needs more than the CONNECT (enhanced authentication, MQTT 5.0 section 4.12)
 * answers {@link Verdict#CONTINUE} with the Authentication Data to send in an AUTH 0x18 and a
 * {@link Continuation} that takes the client's next AUTH. The core sends, waits for the client's
 * answer and runs {@link Continuation#next} on the pool, as many rounds as the method needs,
 * until an answer other than CONTINUE. The same holds when a connected client re-authenticates
 * (AUTH 0x19, section 4.12.1). The core knows nothing of any method: it carries bytes, checks the
 * packet rules of section 4.12 and sends the verdict's reason code.
 */
public interface Authenticator {

    /**
     * What is asked: who connects, with which credentials, from where. The password is the
     * CONNECT's bytes.
     *
     * @param anonymousAllowed whether the listener the client came in on accepts clients without a
     *     user name ({@link dev.cairn.broker.config.ListenerConfig#anonymousAllowed})
     */
    record Request(
            String clientId,
            String username,
            byte[] password,
            String remoteHost,
            boolean anonymousAllowed,
            String method,
            byte[] authData) {

        /** A request without enhanced authentication: the CONNECT's user name and password only. */
        public Request(String clientId, String username, byte[] password, String remoteHost, boolean anonymousAllowed) {
            this(clientId, username, password, remoteHost, anonymousAllowed, null, null);
        }
    }

    /** The answer to a CONNECT's credentials. */
    enum Verdict {
        /** The client may connect. */
        ACCEPTED,
        /** The user name or the password is wrong, or missing where one is needed (0x86; 3.1.1: 4). */
        BAD_CREDENTIALS,
        /**
         * The client may not connect, e.g. anonymous where that is not allowed, or an enhanced
         * method's exchange failed (0x87; 3.1.1: 5; a failed re-authentication: DISCONNECT 0x87).
         */
        NOT_AUTHORIZED,
        /** The Authentication Method is not offered on this listener (0x8C) [MQTT-4.12.0-1]. */
        BAD_METHOD,
        /** The method needs the client's next AUTH: send AUTH 0x18 with the outcome's data [MQTT-4.12.0-2]. */
        CONTINUE
    }

    /** The rest of an enhanced-authentication exchange: what the client's next AUTH data lead to. */
    interface Continuation {
        /** The answer to the client's AUTH 0x18 carrying {@code authData} (null when it had none). A pool thread. */
        Outcome next(byte[] authData);
    }

    /**
     * A verdict and, for an accepted client, what to run when its connection ends.
     *
     * @param release runs on the core thread once the accepted connection ends; never null
     * @param authData the Authentication Data to send: in the AUTH 0x18 of a {@link Verdict#CONTINUE},
     *     in the CONNACK (or AUTH 0x00 of a re-authentication) of an acceptance; null for none
     * @param next what takes the client's next AUTH; non-null exactly for {@link Verdict#CONTINUE}
     * @param username the user an enhanced method proved the client to be, or null to keep the
     *     CONNECT's User Name
     */
    record Outcome(Verdict verdict, Runnable release, byte[] authData, Continuation next, String username) {
        private static final Runnable NOTHING = () -> {};

        public Outcome {
            if ((verdict == Verdict.CONTINUE) != (next != null)) {
                throw new IllegalArgumentException("a continuation goes with CONTINUE and only with it");
            }
        }

        public Outcome(Verdict verdict, Runnable release) {
            this(verdict, release, null, null, null);
        }

        public static Outcome of(Verdict verdict) {
            return new Outcome(verdict, NOTHING);
        }

        /** Send {@code authData} in an AUTH 0x18; the client's answer goes to {@code next}. */
        public static Outcome continueWith(byte[] authData, Continuation next) {
            return new Outcome(Verdict.CONTINUE, NOTHING, authData, next, null);
        }

        /** The exchange proved the client to be {@code username}; {@code authData} go with the success. */
        public static Outcome acceptedAs(String username, byte[] authData) {
            return new Outcome(Verdict.ACCEPTED, NOTHING, authData, null, username);
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
