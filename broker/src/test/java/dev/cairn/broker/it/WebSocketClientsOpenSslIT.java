package dev.cairn.broker.it;

/**
 * Every {@link WebSocketClientsIT} test with the wss listener on {@code tls_provider = openssl}:
 * MQTT.js, Paho and headless Chromium over wss, mutual TLS with the CN as the user name, and the
 * idle-connection timeouts, on Netty's BoringSSL engine.
 */
class WebSocketClientsOpenSslIT extends WebSocketClientsIT {
    @Override
    String provider() {
        return "openssl";
    }
}
