package dev.cairn.broker.tls;

import dev.cairn.broker.config.TlsSettings.CertificateUsername;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The username a verified client certificate gives, as mosquitto forms it: its subject's CN
 * ({@code use_identity_as_username}) or the whole subject in RFC 2253 form, most specific part
 * first ({@code use_subject_as_username}, e.g. {@code CN=pump-7,O=Plant}).
 */
public final class ClientIdentity {
    private ClientIdentity() {}

    /** The username {@code certificate} gives under {@code mode}; null for NONE or a subject without a CN. */
    public static String username(X509Certificate certificate, CertificateUsername mode) {
        String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        switch (mode) {
            case NONE:
                return null;
            case SUBJECT:
                return subject;
            case IDENTITY:
                return commonName(subject);
            default:
                throw new IllegalArgumentException("unknown mode " + mode);
        }
    }

    private static String commonName(String rfc2253) {
        try {
            for (Rdn rdn : new LdapName(rfc2253).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString(); // Unescaped: "Pump\, 7" is the name "Pump, 7".
                }
            }
        } catch (InvalidNameException e) {
            return null; // The JDK formatted it; it parses. Null refuses the connection if ever not.
        }
        return null;
    }
}
