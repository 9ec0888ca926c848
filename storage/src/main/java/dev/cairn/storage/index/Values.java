package dev.cairn.storage.index;

import dev.cairn.storage.record.BinaryReader;
import dev.cairn.storage.record.BinaryWriter;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.storage.record.Will;

/**
 * Value layouts of index format 5, using the journal's field encodings. Format 5 added the
 * session's owner at the end of a session value (as the journal's {@code SessionOpened} of format
 * version 4); a session value of an older format ends after its will, and reads as an owner not
 * known, so a format 3 or 4 index is format 5 as it stands. Format 1 had no
 * {@code payload_refs} column family; formats 1 and 2 kept no message sizes (queue entries without
 * {@code messageBytes}, queue depths of one i64). An older index is upgraded on open
 * ({@link RocksIndexStore#upgrade}), reading the sizes from the journal. Any layout change bumps
 * {@link #INDEX_FORMAT}.
 */
final class Values {
    static final int INDEX_FORMAT = 5;
    static final int INDEX_FORMAT_WITHOUT_PAYLOAD_REFS = 1;
    static final int INDEX_FORMAT_WITHOUT_SIZES = 2;
    /**
     * Format 3 named every queue entry by its position alone. Format 4 may hold further copies of
     * one message in one session's queue (keys in {@link Keys#queueEntry}); its values are those of
     * format 3, so a format 3 index is format 4 as it stands.
     */
    static final int INDEX_FORMAT_WITHOUT_COPIES = 3;
    /** Format 4 kept no session owner; its values are otherwise format 5's. */
    static final int INDEX_FORMAT_WITHOUT_OWNERS = 4;

    private Values() {}

    static byte[] session(SessionState s) {
        BinaryWriter w = new BinaryWriter(64)
                .u8(s.protocolLevel())
                .i64(s.sessionExpirySeconds())
                .u8(s.presence().code())
                .i64(s.changedAtMillis())
                .bool(s.will() != null);
        Will will = s.will();
        if (will != null) {
            w.string(will.topic())
                    .u8(will.qos())
                    .bool(will.retain())
                    .bytes(will.properties())
                    .bytes(will.payload())
                    .i64(will.delaySeconds());
        }
        SessionOwner.write(s.owner(), w);
        return w.toByteArray();
    }

    static SessionState session(String clientId, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        int protocolLevel = r.u8();
        long expiry = r.i64();
        Presence presence = Presence.ofCode(r.u8());
        long changedAt = r.i64();
        Will will = r.bool() ? new Will(r.string(), r.u8(), r.bool(), r.bytes(), r.bytes(), r.i64()) : null;
        // A value of index format 4 or older ends here: its owner is not known.
        SessionOwner owner = r.remaining() > 0 ? SessionOwner.read(r) : null;
        r.expectEnd();
        return new SessionState(clientId, protocolLevel, expiry, presence, changedAt, will, owner);
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

    /**
     * {@code qos u8, state u8, packetId u16, retainAsPublished bool, subscriptionIds, messageBytes u32}
     * and, only when it differs from the key's position (relocated), {@code payloadPosition i64}.
     */
    static byte[] queueEntry(QueueEntry e) {
        if (e.messageBytes() < 0) {
            throw new IllegalArgumentException("a queue entry of format " + INDEX_FORMAT + " needs its size: " + e);
        }
        BinaryWriter w = new BinaryWriter(28)
                .u8(e.qos())
                .u8(e.state().code())
                .u16(e.packetId())
                .bool(e.retainAsPublished())
                .subscriptionIds(e.subscriptionIds())
                .u32(e.messageBytes());
        if (e.payloadPosition() != e.position()) {
            w.i64(e.payloadPosition());
        }
        return w.toByteArray();
    }

    static QueueEntry queueEntry(long position, int copy, byte[] value) {
        return queueEntry(position, copy, value, INDEX_FORMAT);
    }

    /** Reads a queue entry written by index {@code format}; before 3 its size is unknown (-1). */
    static QueueEntry queueEntry(long position, int copy, byte[] value, int format) {
        BinaryReader r = new BinaryReader(value);
        int qos = r.u8();
        DeliveryState state = DeliveryState.ofCode(r.u8());
        int packetId = r.u16();
        boolean retainAsPublished = r.bool();
        int[] subscriptionIds = r.subscriptionIds();
        long messageBytes = format >= INDEX_FORMAT_WITHOUT_COPIES ? r.u32() : -1;
        long payloadPosition = r.remaining() > 0 ? r.i64() : position;
        r.expectEnd();
        return new QueueEntry(
                position,
                qos,
                state,
                packetId,
                retainAsPublished,
                subscriptionIds,
                messageBytes,
                payloadPosition,
                copy);
    }

    /** {@code messages i64, bytes i64}. */
    static byte[] queueDepth(QueueDepth depth) {
        return new BinaryWriter(16).i64(depth.messages()).i64(depth.bytes()).toByteArray();
    }

    /** Reads a queue depth of any format: before 3 it was the message count alone. */
    static QueueDepth queueDepth(byte[] value) {
        BinaryReader r = new BinaryReader(value);
        long messages = r.i64();
        long bytes = r.remaining() > 0 ? r.i64() : -1;
        r.expectEnd();
        return new QueueDepth(messages, bytes);
    }

    static byte[] retained(RetainedMessage m) {
        return new BinaryWriter(32 + m.payload().length)
                .u8(m.qos())
                .bytes(m.properties())
                .bytes(m.payload())
                .i64(m.expiresAtMillis())
                .i64(m.position())
                .toByteArray();
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
