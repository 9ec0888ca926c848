package dev.cairn.broker.transport;

import dev.cairn.broker.codec.DecodeError;
import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.config.TlsSettings.CertificateUsername;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.session.Connection;
import dev.cairn.broker.session.Origin;
import dev.cairn.broker.tls.ClientIdentity;
import dev.cairn.broker.tls.HandshakeFailures;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards one channel's decoded packets, decode errors and lifecycle events to the core as
 * commands. No protocol logic lives here. Backpressure: when the core's inbox is deeper than
 * its high mark, this channel stops reading until the core has drained it. Runs on the
 * channel's event loop.
 *
 * <p>On a TLS listener the core hears of the connection only once the handshake has succeeded
 * (so nothing of MQTT happens before it), with the username the client certificate gives when
 * the listener takes it from there; a failed handshake is logged by {@link HandshakeFailures} and
 * closed without the core ever seeing it. On a WebSocket listener it hears of it once the HTTP
 * upgrade has succeeded ({@link WebSocketUpgrade#UPGRADED}), after the TLS handshake on wss;
 * a connection that never upgrades is closed by {@link WebSocketUpgrade} unseen.
 */
final class MqttChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MqttChannelHandler.class);

    private final CoreLoop core;
    private final AtomicInteger openConnections;
    private final int connectionsMax;
    private final int inboxHighDepth;
    private final String listener;
    /** Null on a plain listener. */
    private final HandshakeFailures handshakeFailures;

    private final CertificateUsername certificateUsername;
    /** Whether the TLS handshake has yet to succeed (a TLS listener's connection starts so). */
    private boolean awaitingTls;
    /** Whether the WebSocket upgrade has yet to succeed (a WebSocket listener's connection starts so). */
    private boolean awaitingUpgrade;
    /** The username the client certificate gave, kept for {@link #open} until the upgrade. */
    private String certificateUser;

    private Connection connection;

    /**
     * @param listener the listener's name, which the core gets with the connection
     * @param handshakeFailures where failed TLS handshakes are reported; null on a plain listener
     * @param webSocket whether MQTT arrives in WebSocket frames, after an HTTP upgrade
     */
    MqttChannelHandler(
            CoreLoop core,
            AtomicInteger openConnections,
            int connectionsMax,
            int inboxHighDepth,
            String listener,
            HandshakeFailures handshakeFailures,
            CertificateUsername certificateUsername,
            boolean webSocket) {
        this.core = core;
        this.openConnections = openConnections;
        this.connectionsMax = connectionsMax;
        this.inboxHighDepth = inboxHighDepth;
        this.listener = listener;
        this.handshakeFailures = handshakeFailures;
        this.certificateUsername = certificateUsername;
        this.awaitingTls = handshakeFailures != null;
        this.awaitingUpgrade = webSocket;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (openConnections.incrementAndGet() > connectionsMax) {
            LOG.warn(
                    "connections_max ({}) reached; closing new connection from {}",
                    connectionsMax,
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        openWhenReady(ctx);
        ctx.fireChannelActive();
    }

    /** Tells the core of the connection once its TLS handshake and its upgrade, as it has them, are done. */
    private void openWhenReady(ChannelHandlerContext ctx) {
        if (!awaitingTls && !awaitingUpgrade && ctx.channel().isActive()) {
            open(ctx, certificateUser);
        }
    }

    private void open(ChannelHandlerContext ctx, String username) {
        connection = new Connection(
                new NettyConnection(ctx.channel(), core.outbox()), new Origin(listener, username), System.nanoTime());
        core.submit(new Command.Opened(connection));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == WebSocketUpgrade.UPGRADED) {
            awaitingUpgrade = false;
            openWhenReady(ctx);
        } else if (event instanceof SslHandshakeCompletionEvent done
                && ctx.channel().isActive()) {
            if (!done.isSuccess()) {
                handshakeFailures.failed(String.valueOf(ctx.channel().remoteAddress()), done.cause());
                ctx.close(); // The SslHandler closes too; before any MQTT byte either way.
            } else if (certificateUsername == CertificateUsername.NONE) {
                awaitingTls = false;
                openWhenReady(ctx);
            } else {
                String username = usernameOf(ctx);
                if (username == null) {
                    handshakeFailures.failed(
                            String.valueOf(ctx.channel().remoteAddress()),
                            new SSLPeerUnverifiedException("the client certificate's subject has no CN, the username"
                                    + " use_identity_as_username needs"));
                    ctx.close();
                } else {
                    certificateUser = username;
                    awaitingTls = false;
                    openWhenReady(ctx);
                }
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    /** The username the verified client certificate gives: its subject's CN, or its whole subject. */
    private String usernameOf(ChannelHandlerContext ctx) {
        Certificate[] chain;
        try {
            chain = ctx.pipeline().get(SslHandler.class).engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return null; // require_certificate is on wherever a username comes from the certificate.
        }
        return ClientIdentity.username((X509Certificate) chain[0], certificateUsername);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (connection == null) {
            return;
        }
        if (msg instanceof Packet) {
            core.submit(new Command.PacketReceived(connection, (Packet) msg));
        } else if (msg instanceof DecodeError) {
            core.submit(new Command.DecodeFailed(connection, (DecodeError) msg));
        } else {
            throw new IllegalArgumentException("unexpected inbound message " + msg.getClass());
        }
        if (core.inboxDepth() > inboxHighDepth && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
            core.whenDrained(() -> ctx.channel().config().setAutoRead(true));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        openConnections.decrementAndGet();
        if (connection != null) {
            core.submit(new Command.Closed(connection));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (connection != null && ctx.channel().isWritable()) {
            core.submit(new Command.Writable(connection));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (awaitingTls) {
            // A TLS error before the handshake finished: the handshake event says why, rate-limited.
            LOG.debug(
                    "connection from {} failed in the TLS handshake: {}",
                    ctx.channel().remoteAddress(),
                    cause.toString());
        } else if (cause instanceof IOException) {
            LOG.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            LOG.warn("connection from {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
