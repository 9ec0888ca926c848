/**
 * TLS for the listeners, apart from the sockets: {@link dev.cairn.broker.tls.ServerTls} reads a
 * listener's certificate chain, key, CA bundle and CRLs into a Netty {@code SslContext} (JDK
 * provider) and swaps in a new one on reload; {@link dev.cairn.broker.tls.HandshakeFailures} says
 * why handshakes failed, rate-limited. The transport puts the context's handlers in each
 * channel's pipeline.
 */
package dev.cairn.broker.tls;
