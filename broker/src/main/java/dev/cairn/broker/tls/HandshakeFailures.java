package dev.cairn.broker.tls;

import dev.cairn.broker.time.LineBudget;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateRevokedException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says why TLS handshakes failed, at INFO with the peer's address, at most
 * {@link #LINES_PER_WINDOW} lines per listener in each {@link #WINDOW_NANOS}: a scanner or a
 * misconfigured fleet must not flood the log. The first line after a window in which lines were
 * held back says how many; every failure is counted ({@link #count}, for the metrics). Any thread (the I/O threads share one instance per listener).
 */
public final class HandshakeFailures {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeFailures.class);
    static final int LINES_PER_WINDOW = 10;
    static final long WINDOW_NANOS = 10_000_000_000L;

    private final String listener;
    private final LineBudget lines;
    private final LongAdder count = new LongAdder();

    public HandshakeFailures(String listener, LongSupplier nanoTime) {
        this.listener = listener;
        this.lines = new LineBudget(LINES_PER_WINDOW, WINDOW_NANOS, nanoTime);
    }

    /** Logs (or counts) one failed handshake; returns whether a line was written. */
    public boolean failed(String peer, Throwable cause) {
        count.increment();
        long held = lines.take();
        if (held < 0) {
            return false;
        }
        LOG.info(
                "TLS handshake from {} on listener {} failed: {}{}",
                peer,
                listener,
                reason(cause),
                held == 0 ? "" : " (" + held + " more failed handshakes were not logged)");
        return true;
    }

    /** Failed handshakes so far, logged or not; any thread. */
    public long count() {
        return count.sum();
    }

    /** A short reason for a failed handshake: the classes an operator acts on, else the provider's message. */
    static String reason(Throwable cause) {
        String messages = "";
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return "not finished within the handshake timeout";
            }
            if (t instanceof NotSslRecordException) {
                return "not TLS (a plain MQTT client on a TLS port?)";
            }
            if (t instanceof CertificateExpiredException) {
                return "client certificate expired (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateNotYetValidException) {
                return "client certificate not yet valid (" + t.getMessage() + ")";
            }
            if (t instanceof CertificateRevokedException) {
                return "client certificate revoked";
            }
            if (t instanceof CertPathValidatorException v) {
                if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                    return "client certificate expired";
                }
                if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                    return "client certificate not yet valid";
                }
                if (v.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                    return "client certificate revoked";
                }
            }
            messages += " " + t.getMessage();
        }
        if (messages.contains("unable to find valid certification path")
                || messages.contains("No trusted certificate found")
                || messages.contains("Path does not chain with any of the trust anchors")) {
            return "client certificate from an unknown CA";
        }
        // The JDK's messages, then BoringSSL's error names (tls_provider = openssl).
        if (messages.contains("Empty client certificate chain")
                || messages.contains("Empty certificate chain")
                || messages.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE")) {
            return "no client certificate";
        }
        if ((messages.contains("protocol")
                        && (messages.contains("not supported")
                                || messages.contains("not enabled")
                                || messages.contains("No appropriate protocol")))
                || messages.contains("UNSUPPORTED_PROTOCOL")) {
            return "protocol version not accepted (" + cause.getMessage() + ")";
        }
        if (messages.contains("no cipher suites in common") || messages.contains("NO_SHARED_CIPHER")) {
            return "no cipher suite in common";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
