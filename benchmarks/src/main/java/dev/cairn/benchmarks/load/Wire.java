package dev.cairn.benchmarks.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * What a load-generator connection speaks below MQTT: plain TCP, TLS, or MQTT over WebSockets
 * (binary frames, subprotocol {@code mqtt}), plain or over TLS. TLS trusts only the CA file it is
 * given and checks no host name (the certificate is one the runner made for this run), and each
 * connection makes a full handshake: the client keeps no session to resume, so a connection storm
 * measures what a fleet of devices that all restarted costs.
 *
 * <p>Thread safety: immutable; {@link #addHandlers} may be called from any event loop.
 */
final class Wire {
    /** The kinds of connection, by their command-line names. */
    enum Kind {
        TCP,
        TLS,
        WS,
        WSS;

        String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean tls() {
            return this == TLS || this == WSS;
        }

        boolean webSocket() {
            return this == WS || this == WSS;
        }

        static Kind fromCliName(String name) {
            for (Kind kind : values()) {
                if (kind.cliName().equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("--transport must be tcp, tls, ws or wss, got '" + name + "'");
        }
    }

    /** The WebSocket subprotocol MQTT registers. */
    static final String SUBPROTOCOL = "mqtt";

    private static final int HTTP_RESPONSE_MAX_BYTES = 64 * 1024;
    private static final long UPGRADE_TIMEOUT_MILLIS = 10_000;

    private final Kind kind;
    private final SslContext ssl;
    private final String path;
    private final int framePayloadMax;

    private Wire(Kind kind, SslContext ssl, String path, int framePayloadMax) {
        this.kind = kind;
        this.ssl = ssl;
        this.path = path;
        this.framePayloadMax = framePayloadMax;
    }

    /**
     * @param caFile the PEM CA bundle the broker's certificate must chain to; required for TLS kinds
     * @param path the WebSocket path (e.g. {@code /mqtt}); used by WebSocket kinds
     */
    static Wire of(Kind kind, Path caFile, String path, int framePayloadMax) {
        SslContext ssl = null;
        if (kind.tls()) {
            if (caFile == null) {
                throw new IllegalArgumentException("--transport " + kind.cliName() + " needs --ca-file");
            }
            try {
                ssl = SslContextBuilder.forClient()
                        .trustManager(caFile.toFile())
                        .endpointIdentificationAlgorithm(null)
                        .build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalArgumentException("--ca-file " + caFile + ": " + e.getMessage(), e);
            }
        }
        return new Wire(kind, ssl, path, framePayloadMax);
    }

    Kind kind() {
        return kind;
    }

    /** Whether CONNECT must wait for the WebSocket upgrade ({@link #isReady}) rather than go out at once. */
    boolean waitsForUpgrade() {
        return kind.webSocket();
    }

    /** Whether {@code event}, seen by the MQTT handler, says the connection may now carry MQTT. */
    static boolean isReady(Object event) {
        return event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE;
    }

    /** Adds what goes below the MQTT codec to a new channel's pipeline. */
    void addHandlers(ChannelPipeline pipeline, String host, int port) {
        if (ssl != null) {
            // No peer host and port: the JDK then caches no session for this peer, so none is resumed.
            SslHandler handler = ssl.newHandler(pipeline.channel().alloc());
            pipeline.addLast("tls", handler);
        }
        if (kind.webSocket()) {
            URI uri = URI.create((kind.tls() ? "wss://" : "ws://") + hostForUri(host) + ":" + port + path);
            WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                    .webSocketUri(uri)
                    .subprotocol(SUBPROTOCOL)
                    .maxFramePayloadLength(framePayloadMax)
                    .handshakeTimeoutMillis(UPGRADE_TIMEOUT_MILLIS)
                    .build();
            pipeline.addLast("http", new HttpClientCodec());
            pipeline.addLast("http-response", new HttpObjectAggregator(HTTP_RESPONSE_MAX_BYTES));
            pipeline.addLast("websocket", new WebSocketClientProtocolHandler(config));
            pipeline.addLast("frames", new BinaryFrames());
        }
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /**
     * MQTT bytes in binary frames: what arrives in binary and continuation frames goes up as bytes,
     * what the MQTT encoder writes goes down as one binary frame per write. Anything else (a text
     * frame) is an error: MQTT over WebSockets is binary only.
     */
    static final class BinaryFrames extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
            if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
                ByteBuf content = ((WebSocketFrame) msg).content().retain();
                ((WebSocketFrame) msg).release();
                ctx.fireChannelRead(content);
            } else if (msg instanceof WebSocketFrame) {
                ((WebSocketFrame) msg).release();
                throw new IOException("broker sent a " + msg.getClass().getSimpleName() + "; MQTT uses binary frames");
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof ByteBuf ? new BinaryWebSocketFrame((ByteBuf) msg) : msg, promise);
        }
    }
}
