package dev.cairn.broker.config;

import dev.cairn.broker.config.TlsSettings.TlsVersion;
import java.nio.file.Path;

/**
 * How a bridge connects to its remote with TLS ({@code bridge.NAME.cafile} and the keys after it in
 * {@link BridgeKey}): the CA certificates the remote's certificate must chain to, from a file, a
 * directory or both; the bridge's own certificate chain and key for mutual TLS; whether the
 * remote's certificate must name the host the bridge connects to; the oldest TLS version. The
 * files are read when the broker starts.
 *
 * @param caFile null when not set
 * @param caPath null when not set; at least one of the two is set
 * @param certFile null when the bridge presents no certificate
 * @param keyFile null exactly when certFile is
 * @param keyPassword the password of an encrypted keyfile, or null
 * @param insecure true: no check that the certificate names the host (its chain is still checked)
 */
public record BridgeTlsSettings(
        Path caFile,
        Path caPath,
        Path certFile,
        Path keyFile,
        String keyPassword,
        boolean insecure,
        TlsVersion minVersion) {}
