package dev.cairn.broker.it;

/**
 * Every {@link TlsIT} test on listeners with {@code tls_provider = openssl} (Netty's BoringSSL
 * engine): the same clients, certificates, refusals and usernames as on the JDK's engine.
 */
class TlsOpenSslIT extends TlsIT {
    @Override
    String provider() {
        return "openssl";
    }
}
