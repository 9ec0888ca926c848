package dev.cairn.broker.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.broker.config.TlsSettings.CertificateUsername;
import dev.cairn.broker.testing.TestPki;
import dev.cairn.broker.testing.TestPki.Issued;
import dev.cairn.broker.testing.TestPki.KeyType;
import org.junit.jupiter.api.Test;

/** Goal: a client certificate gives the username mosquitto would give it. */
class ClientIdentityTest {
    private final Issued ca = TestPki.ca("ca", KeyType.EC);

    @Test
    void theCnOrTheWholeSubjectMostSpecificFirst() {
        // Written C, O, CN in ASN.1 order, as openssl -subj "/C=DE/O=Plant/CN=pump-7" does.
        Issued pump = TestPki.client(ca, "C=DE,O=Plant,CN=pump-7", KeyType.EC);
        assertEquals("pump-7", ClientIdentity.username(pump.certificate(), CertificateUsername.IDENTITY));
        assertEquals(
                "CN=pump-7,O=Plant,C=DE", ClientIdentity.username(pump.certificate(), CertificateUsername.SUBJECT));
        assertNull(ClientIdentity.username(pump.certificate(), CertificateUsername.NONE));
    }

    @Test
    void aCnWithSpecialCharactersIsUnescapedAndNoCnGivesNoUsername() {
        Issued comma = TestPki.client(ca, "O=Plant,CN=Pump\\, line 7", KeyType.EC);
        assertEquals("Pump, line 7", ClientIdentity.username(comma.certificate(), CertificateUsername.IDENTITY));
        Issued nameless = TestPki.client(ca, "O=Plant,OU=Line 1", KeyType.EC);
        assertNull(ClientIdentity.username(nameless.certificate(), CertificateUsername.IDENTITY));
    }
}
