package dev.cairn.broker.bridge;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.broker.codec.RetainHandling;
import dev.cairn.broker.config.BridgeConfig;
import dev.cairn.broker.config.BridgeTopic;
import dev.cairn.broker.core.Command;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.session.Connection;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code in} side of one link of a bridge (ADR 0020): the remote's PUBLISHes on the bridge's
 * remote subscriptions go to the core as the bridge session's own PUBLISHes, with the topic mapped
 * ({@link BridgeTopic#toLocal}) and the remote's packet id, so the core journals and routes them as
 * a client's; the core's PUBACK, PUBREC and PUBCOMP, which it releases only after the journal sync
 * that covers the message (or the QoS 2 release), are what the bridge answers the remote. So the
 * remote never hears "stored" before Cairn's journal holds the message. QoS 2 across a re-send of
 * the remote is the core's inbound packet-id state of the persistent session [MQTT-4.3.3-10]: a
 * PUBLISH under an id awaiting PUBREL is answered PUBREC again and not routed twice.
 *
 * <p>Flow control: at most {@code window} QoS 1/2 PUBLISHes are with the core at once (the
 * session's Receive Maximum, {@code inflight_inbound_max}, also advertised to a 5.0 remote
 * [MQTT-3.3.4-9]); a remote that sends more (3.1.1 has no Receive Maximum) has them held here, in
 * order, until the core's acknowledgements make room. A remote's message the core refuses (0x97:
 * the queue of a local subscriber is full, or the journal's disk) is not acknowledged: the link is
 * dropped, and the remote's persistent session re-sends it after the reconnect [MQTT-4.4.0-1].
 *
 * <p>One object per link; the bridge's event loop only.
 */
final class BridgeInbound {
    private static final Logger LOG = LoggerFactory.getLogger(BridgeInbound.class);
    /**
     * The packet id of the remote SUBSCRIBE. It is the remote's only non-PUBLISH packet with an id;
     * the core's PUBLISH ids count up from 1, so this is the last one they reach.
     */
    static final int SUBSCRIBE_PACKET_ID = 0xFFFF;

    /** The bridge's in topic lines with their remote filters parsed, in line order. */
    static final class Lines {
        private final List<BridgeTopic> topics = new ArrayList<>();
        private final List<TopicFilter> filters = new ArrayList<>();

        Lines(BridgeConfig config) {
            for (BridgeTopic t : config.topics()) {
                if (t.direction().receivesIn()) {
                    topics.add(t);
                    filters.add(t.remoteTopicFilter());
                }
            }
        }

        boolean isEmpty() {
            return topics.isEmpty();
        }

        /** The first in line whose remote filter matches {@code remoteTopic}; null when none does. */
        BridgeTopic lineOf(String remoteTopic) {
            TopicName name;
            try {
                name = TopicName.parse(remoteTopic, TopicLimits.PROTOCOL);
            } catch (InvalidTopicException e) {
                return null;
            }
            for (int i = 0; i < filters.size(); i++) {
                if (filters.get(i).matches(name)) {
                    return topics.get(i);
                }
            }
            return null;
        }

        /**
         * The remote SUBSCRIBE of every in line: persistent like the remote session, Retain
         * Handling 1 (retained messages once, when the subscription is new), Retain As Published,
         * and in 5.0 No Local, so the remote never sends the bridge back what the bridge
         * forwarded to it [MQTT-3.8.3-3].
         */
        Packet.Subscribe subscribe(boolean v5) {
            List<Packet.Subscription> subscriptions = new ArrayList<>();
            for (BridgeTopic t : topics) {
                subscriptions.add(new Packet.Subscription(
                        t.remoteFilter(), QoS.fromValue(t.qos()), v5, true, RetainHandling.SEND_IF_NEW_SUBSCRIPTION));
            }
            return new Packet.Subscribe(SUBSCRIBE_PACKET_ID, subscriptions, Properties.EMPTY);
        }

        /** The line of the i-th subscription of {@link #subscribe}, for messages. */
        BridgeTopic get(int i) {
            return topics.get(i);
        }
    }

    private final String bridgeName;
    private final Lines lines;
    private final CoreLoop core;
    private final Channel remote;
    private final Connection local;
    private final int window;
    private final boolean v5;
    /** Packet ids of QoS 1/2 PUBLISHes (and QoS 2 releases) with the core, not yet answered fully. */
    private final Set<Integer> withCore = new HashSet<>();
    /** PUBLISHes waiting for room in the window, in arrival order. */
    private final ArrayDeque<Packet.Publish> held = new ArrayDeque<>();
    /** QoS 2 ids of messages no in line maps (acknowledged and dropped here), whose PUBREL is answered here. */
    private final Set<Integer> dropped = new HashSet<>();

    BridgeInbound(
            String bridgeName, Lines lines, CoreLoop core, Channel remote, Connection local, int window, boolean v5) {
        this.bridgeName = bridgeName;
        this.lines = lines;
        this.core = core;
        this.remote = remote;
        this.local = local;
        this.window = window;
        this.v5 = v5;
    }

    /** A PUBLISH from the remote: to the core now, or held until the window has room. */
    void onPublish(Packet.Publish p) {
        if (!held.isEmpty() || (p.qos() != QoS.AT_MOST_ONCE && isFull(p.packetId()))) {
            held.add(p);
            return;
        }
        toCore(p);
    }

    private boolean isFull(int packetId) {
        return !withCore.contains(packetId) && withCore.size() >= window;
    }

    private void toCore(Packet.Publish p) {
        BridgeTopic line = lines.lineOf(p.topic());
        if (line == null) {
            // A subscription of an older configuration that the remote session kept: nothing to map it to.
            LOG.warn("bridge {}: no topic line brings in {} from the remote; message dropped", bridgeName, p.topic());
            if (p.qos() == QoS.AT_LEAST_ONCE) {
                remote.writeAndFlush(new Packet.PubAck(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            } else if (p.qos() == QoS.EXACTLY_ONCE) {
                dropped.add(p.packetId());
                remote.writeAndFlush(new Packet.PubRec(p.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            }
            return;
        }
        if (p.qos() != QoS.AT_MOST_ONCE) {
            withCore.add(p.packetId());
        }
        Properties properties = v5 ? p.properties() : Properties.EMPTY;
        core.submit(new Command.PacketReceived(
                local,
                new Packet.Publish(
                        line.toLocal(p.topic()), p.qos(), p.retain(), p.dup(), p.packetId(), properties, p.payload())));
    }

    /** PUBREL of the remote for a QoS 2 message: the core releases the id and answers PUBCOMP. */
    void onPubRel(Packet.PubRel rel) {
        if (dropped.remove(rel.packetId())) {
            remote.writeAndFlush(new Packet.PubComp(rel.packetId(), ReasonCode.SUCCESS, Properties.EMPTY));
            return;
        }
        // An id of an earlier link (PUBREC sent, then the link or the broker went down) is with the core too.
        withCore.add(rel.packetId());
        core.submit(new Command.PacketReceived(
                local, new Packet.PubRel(rel.packetId(), ReasonCode.SUCCESS, rel.properties())));
    }

    /**
     * The core's answer to a PUBLISH or PUBREL of the remote, released after the sync that made
     * it durable: written to the remote (the caller flushes). Returns why the link must end
     * instead, or null.
     */
    String onCoreAck(Packet ack) {
        switch (ack.type()) {
            case PUBACK: {
                Packet.PubAck a = (Packet.PubAck) ack;
                if (a.reason().isError()) {
                    return refused(a.packetId(), a.reason());
                }
                remote.write(new Packet.PubAck(a.packetId(), reasonFor(a.reason()), Properties.EMPTY));
                done(a.packetId());
                return null;
            }
            case PUBREC: {
                Packet.PubRec r = (Packet.PubRec) ack;
                if (r.reason().isError()) {
                    return refused(r.packetId(), r.reason());
                }
                remote.write(new Packet.PubRec(r.packetId(), reasonFor(r.reason()), Properties.EMPTY));
                return null; // With the core until its PUBCOMP.
            }
            case PUBCOMP: {
                Packet.PubComp c = (Packet.PubComp) ack;
                remote.write(new Packet.PubComp(c.packetId(), reasonFor(c.reason()), Properties.EMPTY));
                done(c.packetId());
                return null;
            }
            default:
                throw new IllegalArgumentException("not an inbound acknowledgement: " + ack.type());
        }
    }

    private String refused(int packetId, ReasonCode reason) {
        return "the local side refused the remote's message under packet id " + packetId + " [" + reason
                + "]; not acknowledged, so the remote re-sends it after the reconnect";
    }

    /** 3.1.1 acknowledgements carry no reason code; 5.0 ones keep the core's (0x10 included). */
    private ReasonCode reasonFor(ReasonCode reason) {
        return v5 ? reason : ReasonCode.SUCCESS;
    }

    private void done(int packetId) {
        withCore.remove(packetId);
        while (!held.isEmpty()) {
            Packet.Publish next = held.peek();
            if (next.qos() != QoS.AT_MOST_ONCE && isFull(next.packetId())) {
                return;
            }
            toCore(held.poll());
        }
    }
}
