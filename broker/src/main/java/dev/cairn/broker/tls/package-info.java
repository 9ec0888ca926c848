/**
 * TLS apart from the sockets: {@link dev.cairn.broker.tls.ServerTls} reads a listener's
 * certificate chain, key, CA bundle and CRLs into a Netty {@code SslContext} and swaps in a new one
 * on reload; {@link dev.cairn.broker.tls.ClientTls} builds a bridge's client context (its CAs, its
 * own certificate, the host check); both read their files through {@code TlsFiles}.
 * {@link dev.cairn.broker.tls.HandshakeFailures} says why handshakes failed, rate-limited. The
 * transport and the bridges put the contexts' handlers in each channel's pipeline.
 */
package dev.cairn.broker.tls;
