package dev.cairn.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Goal: a refused handshake is logged with a reason an operator acts on, and a flood is not. */
class HandshakeFailuresTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final HandshakeFailures failures = new HandshakeFailures("plant", now::get);

    @Test
    void logsAtMostTenLinesPerWindowThenStartsAgain() {
        int written = 0;
        for (int i = 0; i < 25; i++) {
            written += failures.failed("/10.0.0." + i + ":5000", new NotSslRecordException("junk")) ? 1 : 0;
        }
        assertEquals(HandshakeFailures.LINES_PER_WINDOW, written, "the rest of the window is counted, not logged");
        now.addAndGet(HandshakeFailures.WINDOW_NANOS - 1);
        assertFalse(failures.failed("/10.0.0.99:5000", new NotSslRecordException("junk")), "still the same window");
        now.addAndGet(1);
        assertTrue(failures.failed("/10.0.0.100:5000", new NotSslRecordException("junk")), "a new window");
    }

    @Test
    void namesTheReasonsAnOperatorActsOn() {
        assertEquals(
                "client certificate expired",
                HandshakeFailures.reason(new DecoderException(new SSLHandshakeException("PKIX path validation failed")
                        .initCause(new CertPathValidatorException(
                                "validity check failed",
                                null,
                                null,
                                -1,
                                CertPathValidatorException.BasicReason.EXPIRED)))));
        assertTrue(HandshakeFailures.reason(new SSLHandshakeException("x")
                        .initCause(new CertificateExpiredException("NotAfter: yesterday")))
                .startsWith("client certificate expired"));
        assertEquals(
                "client certificate revoked",
                HandshakeFailures.reason(new SSLHandshakeException("x")
                        .initCause(new CertPathValidatorException(
                                "revoked", null, null, -1, CertPathValidatorException.BasicReason.REVOKED))));
        assertEquals(
                "client certificate from an unknown CA",
                HandshakeFailures.reason(new SSLHandshakeException(
                        "PKIX path building failed: unable to find valid certification path to requested target")));
        assertEquals(
                "no client certificate",
                HandshakeFailures.reason(new SSLHandshakeException("Empty client certificate chain")));
        assertTrue(HandshakeFailures.reason(new SSLHandshakeException(
                        "Client requested protocol TLSv1.1 is not enabled or supported in server context"))
                .startsWith("protocol version not accepted"));
        assertEquals(
                "not finished within the handshake timeout",
                HandshakeFailures.reason(new SslHandshakeTimeoutException("t")));
        assertTrue(HandshakeFailures.reason(new NotSslRecordException("x")).startsWith("not TLS"));
        assertEquals(
                "SSLHandshakeException: something new",
                HandshakeFailures.reason(new SSLHandshakeException("something new")));
    }

    /** tls_provider = openssl: BoringSSL's own error names for the same refusals give the same reasons. */
    @Test
    void namesBoringSslsReasonsAsTheJdksAlike() {
        assertEquals(
                "no client certificate",
                HandshakeFailures.reason(new SSLHandshakeException(
                        "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE")));
        assertTrue(HandshakeFailures.reason(
                        new SSLHandshakeException("error:100000f0:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL"))
                .startsWith("protocol version not accepted"));
        assertEquals(
                "no cipher suite in common",
                HandshakeFailures.reason(
                        new SSLHandshakeException("error:100000b8:SSL routines:OPENSSL_internal:NO_SHARED_CIPHER")));
    }
}
