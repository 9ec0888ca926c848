package dev.cairn.broker.transport;

import dev.cairn.broker.config.WebSocketSettings;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.CharsetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a WebSocket listener: takes one aggregated HTTP request and either upgrades the
 * connection to WebSocket or answers with a 4xx and closes. A valid upgrade is a GET for the
 * listener's path with the WebSocket upgrade headers, from an allowed {@code Origin} when the
 * listener lists them, offering the subprotocol {@code mqtt} (or
 * the older {@code mqttv3.1}); {@code mqtt} is chosen whenever offered [MQTT-6.0.0-4]. On success
 * the HTTP codec gives way to the WebSocket frame codec, this handler to {@link WebSocketFrames},
 * and {@link #UPGRADED} goes down the pipeline so the connection reaches the core. A connection
 * that has not upgraded within the deadline (the connect timeout) is closed; the core never hears
 * of it.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);

    /** The user event that says the upgrade succeeded and MQTT bytes may follow. */
    static final Object UPGRADED = new Object() {
        @Override
        public String toString() {
            return "WebSocket upgraded";
        }
    };

    private static final String MQTT = "mqtt";
    private static final String MQTT_V31 = "mqttv3.1";

    private final String path;
    private final WebSocketSettings settings;
    private final WebSocketDecoderConfig frames;
    private final long deadlineMillis;
    private ScheduledFuture<?> deadline;

    /**
     * @param maxFramePayloadBytes the largest frame payload accepted; a larger frame is answered
     *     with close code 1009 and the connection closed
     */
    WebSocketUpgrade(WebSocketSettings settings, int maxFramePayloadBytes, long deadlineMillis) {
        this.settings = settings;
        this.path = settings.path();
        this.frames = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(maxFramePayloadBytes)
                .allowExtensions(false)
                .allowMaskMismatch(false) // Client frames must be masked (RFC 6455 section 5.1).
                .closeOnProtocolViolation(true)
                .build();
        this.deadlineMillis = deadlineMillis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = ctx.executor()
                .schedule(
                        () -> {
                            LOG.debug(
                                    "closing {}: no WebSocket upgrade within {} ms",
                                    ctx.channel().remoteAddress(),
                                    deadlineMillis);
                            ctx.close();
                        },
                        deadlineMillis,
                        TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        ctx.fireChannelInactive();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg); // Nothing but one request comes before the upgrade.
            return;
        }
        try {
            upgrade(ctx, request);
        } finally {
            request.release();
        }
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        if (!new QueryStringDecoder(request.uri()).path().equals(path)) {
            refuse(ctx, HttpResponseStatus.NOT_FOUND, "MQTT over WebSockets is served at " + path);
            return;
        }
        if (request.method() != HttpMethod.GET) {
            refuse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "a WebSocket upgrade is a GET");
            return;
        }
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            FullHttpResponse response = response(
                    HttpResponseStatus.UPGRADE_REQUIRED,
                    "this is an MQTT over WebSockets endpoint: upgrade to websocket");
            response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            send(ctx, response);
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!settings.allowsOrigin(origin)) {
            // A browser page of another site (cross-site WebSocket hijacking): refused before any MQTT.
            refuse(ctx, HttpResponseStatus.FORBIDDEN, "origin " + origin + " is not in http_origins");
            return;
        }
        String subprotocol = subprotocol(request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        if (subprotocol == null) {
            // [MQTT-6.0.0-3] A client must offer "mqtt".
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "the WebSocket subprotocol must be mqtt (or mqttv3.1)");
            return;
        }
        String scheme = ctx.pipeline().get("tls") == null ? "ws" : "wss";
        String url = scheme + "://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + path;
        WebSocketServerHandshaker handshaker =
                new WebSocketServerHandshakerFactory(url, subprotocol, frames).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel())
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        try {
            handshaker.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    LOG.debug(
                            "WebSocket upgrade of {} failed: {}", ctx.channel().remoteAddress(), f.cause());
                    f.channel().close();
                }
            });
        } catch (WebSocketHandshakeException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        // The frame codec is in place; from here on the bytes are frames, then MQTT.
        cancelDeadline();
        ctx.pipeline().replace(this, "websocket", new WebSocketFrames());
        ctx.pipeline().fireUserEventTriggered(UPGRADED);
    }

    /** The subprotocol to answer with: mqtt if offered, else mqttv3.1 if offered, else null. */
    static String subprotocol(Iterable<String> headers) {
        boolean v31 = false;
        for (String header : headers) {
            for (String offered : header.split(",")) {
                String p = offered.trim().toLowerCase(Locale.ROOT);
                if (p.equals(MQTT)) {
                    return MQTT;
                }
                v31 |= p.equals(MQTT_V31);
            }
        }
        return v31 ? MQTT_V31 : null;
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        LOG.debug("refusing HTTP request from {}: {} ({})", ctx.channel().remoteAddress(), status, why);
        send(ctx, response(status, why));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, status, Unpooled.copiedBuffer(text + "\n", CharsetUtil.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
        cancelDeadline();
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        // Whatever else the client sends is not read.
        ctx.channel().config().setAutoRead(false);
    }
}
