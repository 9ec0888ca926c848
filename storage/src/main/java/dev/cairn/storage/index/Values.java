package dev.cairn.storage.index;

import dev.cairn.storage.record.BinaryReader;
import dev.cairn.storage.record.BinaryWriter;
import dev.cairn.storage.record.Will;

/**
 * Value layouts of index format 2 (format 1 had no {@code payload_refs} column family; an index in
 * format 1 is upgraded on open), using the journal's field encodings. The index is derived and
 * rebuildable, so a layout change bumps {@link #INDEX_FORMAT} and old indexes are rebuilt.
 */
final class Values {
    static final int INDEX_FORMAT = 2;
    static final int INDEX_FORMAT_WITHOUT_PAYLOAD_REFS = 1;

    private Values() {
    }

    static byte[] session(SessionState s) {
        BinaryWriter w = new BinaryWriter(64).u8(s.protocolLevel()).i64(s.sessionExpirySeconds())
                .u8(s.presence().code()).i64(s.changedAtMillis()).bool(s.will() != null);
        Will will = s.will();
        if (will != null) {
            w.string(will.topic()).u8(will.qos()).bool(will.retain()).bytes(will.properties()).bytes(will.payload())
                    .i64(will.delaySeconds());
        }
        return w.toByteArray();
    }

    static SessionState session(String clientId, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        int protocolLevel = r.u8();
        long expiry = r.i64();
        Presence presence = Presence.ofCode(r.u8());
        long changedAt = r.i64();
        Will will = r.bool() ? new Will(r.string(), r.u8(), r.bool(), r.bytes(), r.bytes(), r.i64()) : null;
        r.expectEnd();
        return new SessionState(clientId, protocolLevel, expiry, presence, changedAt, will);
    }

    static byte[] subscription(int options, int subscriptionId) {
        return new BinaryWriter(8).u8(options).u32(subscriptionId).toByteArray();
    }

    static Subscription subscription(String filter, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        Subscription subscription = new Subscription(filter, r.u8(), r.i32());
        r.expectEnd();
        return subscription;
    }

    /** The payload position is appended only when it differs from the key's position (relocated). */
    static byte[] queueEntry(QueueEntry e) {
        BinaryWriter w = new BinaryWriter(24).u8(e.qos()).u8(e.state().code()).u16(e.packetId())
                .bool(e.retainAsPublished()).subscriptionIds(e.subscriptionIds());
        if (e.payloadPosition() != e.position()) {
            w.i64(e.payloadPosition());
        }
        return w.toByteArray();
    }

    static QueueEntry queueEntry(long position, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        int qos = r.u8();
        DeliveryState state = DeliveryState.ofCode(r.u8());
        int packetId = r.u16();
        boolean retainAsPublished = r.bool();
        int[] subscriptionIds = r.subscriptionIds();
        long payloadPosition = r.remaining() > 0 ? r.i64() : position;
        r.expectEnd();
        return new QueueEntry(position, qos, state, packetId, retainAsPublished, subscriptionIds, payloadPosition);
    }

    static byte[] retained(RetainedMessage m) {
        return new BinaryWriter(32 + m.payload().length).u8(m.qos()).bytes(m.properties()).bytes(m.payload())
                .i64(m.expiresAtMillis()).i64(m.position()).toByteArray();
    }

    static RetainedMessage retained(String topic, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        RetainedMessage message = new RetainedMessage(topic, r.u8(), r.bytes(), r.bytes(), r.i64(), r.i64());
        r.expectEnd();
        return message;
    }

    static byte[] i64(long value) {
        return new BinaryWriter(8).i64(value).toByteArray();
    }

    static long i64(byte[] value) {
        return Keys.readLong(value, 0);
    }
}
