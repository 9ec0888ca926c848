package dev.cairn.storage.record;

import dev.cairn.storage.record.RecordDecodeException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Body layouts of format version 1, field by field as in {@code docs/journal-format.md}. This
 * class is frozen once released: version 2 gets its own class and this reader stays.
 */
final class BodyCodecV1 {
    private BodyCodecV1() {}

    static void write(JournalRecord record, BinaryWriter w) {
        switch (record.type()) {
            case MESSAGE_STORED:
                writeMessage((MessageStored) record, w);
                break;
            case SESSION_OPENED:
                writeSessionOpened((SessionOpened) record, w);
                break;
            case SESSION_CLOSED: {
                SessionClosed r = (SessionClosed) record;
                w.string(r.clientId()).i64(r.sessionExpirySeconds()).i64(r.atMillis());
                break;
            }
            case SESSION_EXPIRED: {
                SessionExpired r = (SessionExpired) record;
                w.string(r.clientId()).i64(r.atMillis());
                break;
            }
            case SUBSCRIBED: {
                Subscribed r = (Subscribed) record;
                w.string(r.clientId()).string(r.filter()).u8(r.options()).u32(r.subscriptionId());
                break;
            }
            case UNSUBSCRIBED: {
                Unsubscribed r = (Unsubscribed) record;
                w.string(r.clientId()).string(r.filter());
                break;
            }
            default:
                writeDeliveryOrWill(record, w);
        }
    }

    private static void writeDeliveryOrWill(JournalRecord record, BinaryWriter w) {
        switch (record.type()) {
            case DELIVERY_SENT: {
                DeliverySent r = (DeliverySent) record;
                firstCopy(r.copy(), record);
                w.string(r.clientId()).i64(r.position()).u16(r.packetId());
                break;
            }
            case DELIVERY_RELEASED: {
                DeliveryReleased r = (DeliveryReleased) record;
                firstCopy(r.copy(), record);
                w.string(r.clientId()).i64(r.position()).u16(r.packetId());
                break;
            }
            case DELIVERY_ACKNOWLEDGED: {
                DeliveryAcknowledged r = (DeliveryAcknowledged) record;
                firstCopy(r.copy(), record);
                w.string(r.clientId()).i64(r.position());
                break;
            }
            case INBOUND_QOS2_RECEIVED: {
                InboundQos2Received r = (InboundQos2Received) record;
                w.string(r.clientId()).u16(r.packetId()).i64(r.position());
                break;
            }
            case INBOUND_QOS2_RELEASED: {
                InboundQos2Released r = (InboundQos2Released) record;
                w.string(r.clientId()).u16(r.packetId());
                break;
            }
            default:
                writeWillOrMarker(record, w);
        }
    }

    private static void writeWillOrMarker(JournalRecord record, BinaryWriter w) {
        switch (record.type()) {
            case WILL_SCHEDULED: {
                WillScheduled r = (WillScheduled) record;
                w.string(r.clientId()).i64(r.fireAtMillis());
                break;
            }
            case WILL_FIRED:
                w.string(((WillFired) record).clientId());
                break;
            case WILL_CANCELLED:
                w.string(((WillCancelled) record).clientId());
                break;
            case MESSAGE_RELOCATED:
                writeRelocated((MessageRelocated) record, w);
                break;
            case TAIL_DISCARDED: {
                TailDiscarded r = (TailDiscarded) record;
                w.i64(r.firstPosition()).i64(r.lastPosition()).i64(r.atMillis());
                break;
            }
            default:
                throw new IllegalArgumentException("no version 1 layout for " + record.type());
        }
    }

    /** How one recipient is written: the only part of a message body later versions change. */
    interface RecipientWriter {
        void write(Recipient recipient, BinaryWriter w);
    }

    /** How one recipient is read; see {@link RecipientWriter}. */
    interface RecipientReader {
        Recipient read(BinaryReader r);
    }

    private static void writeMessage(MessageStored r, BinaryWriter w) {
        writeMessage(r, w, BodyCodecV1::writeRecipient);
    }

    private static void writeRecipient(Recipient recipient, BinaryWriter w) {
        if (recipient.copy() != 0) {
            throw new IllegalArgumentException("format version 1 has no copy numbers: " + recipient);
        }
        w.string(recipient.clientId())
                .u8(recipient.qos())
                .bool(recipient.retainAsPublished())
                .subscriptionIds(recipient.subscriptionIds());
    }

    static void writeMessage(MessageStored r, BinaryWriter w, RecipientWriter recipientWriter) {
        w.string(r.publisherClientId())
                .string(r.topic())
                .u8(r.qos())
                .bool(r.retain())
                .bytes(r.properties())
                .bytes(r.payload())
                .i64(r.receivedAtMillis())
                .i64(r.expiresAtMillis())
                .u32(r.recipients().size());
        for (Recipient recipient : r.recipients()) {
            recipientWriter.write(recipient, w);
        }
    }

    private static void writeRelocated(MessageRelocated r, BinaryWriter w) {
        w.u32(r.refs().size());
        for (QueueRef ref : r.refs()) {
            firstCopy(ref.copy(), r);
            w.string(ref.clientId()).i64(ref.queuePosition());
        }
        writeMessage(r.message(), w);
    }

    private static void firstCopy(int copy, JournalRecord record) {
        if (copy != 0) {
            throw new IllegalArgumentException("format version 1 has no copy numbers: " + record);
        }
    }

    private static MessageRelocated readRelocated(BinaryReader r) {
        long count = r.u32();
        // Each ref takes at least 10 bytes.
        if (count * 10 > r.remaining()) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, count + " queue refs run past the end");
        }
        List<QueueRef> refs = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            refs.add(new QueueRef(r.string(), r.i64()));
        }
        return new MessageRelocated(refs, readMessage(r));
    }

    static void writeSessionOpened(SessionOpened r, BinaryWriter w) {
        w.string(r.clientId())
                .bool(r.cleanStart())
                .i64(r.sessionExpirySeconds())
                .u8(r.protocolLevel())
                .i64(r.atMillis())
                .bool(r.will() != null);
        Will will = r.will();
        if (will != null) {
            w.string(will.topic())
                    .u8(will.qos())
                    .bool(will.retain())
                    .bytes(will.properties())
                    .bytes(will.payload())
                    .i64(will.delaySeconds());
        }
    }

    static JournalRecord read(RecordType type, BinaryReader r) {
        try {
            return readChecked(type, r);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, type + ": " + e.getMessage());
        }
    }

    private static JournalRecord readChecked(RecordType type, BinaryReader r) {
        switch (type) {
            case MESSAGE_STORED:
                return readMessage(r);
            case SESSION_OPENED:
                return readSessionOpened(r);
            case SESSION_CLOSED:
                return new SessionClosed(r.string(), r.i64(), r.i64());
            case SESSION_EXPIRED:
                return new SessionExpired(r.string(), r.i64());
            case SUBSCRIBED:
                return new Subscribed(r.string(), r.string(), r.u8(), u32AsInt(r));
            case UNSUBSCRIBED:
                return new Unsubscribed(r.string(), r.string());
            case DELIVERY_SENT:
                return new DeliverySent(r.string(), r.i64(), r.u16());
            case DELIVERY_RELEASED:
                return new DeliveryReleased(r.string(), r.i64(), r.u16());
            case DELIVERY_ACKNOWLEDGED:
                return new DeliveryAcknowledged(r.string(), r.i64());
            case INBOUND_QOS2_RECEIVED:
                return new InboundQos2Received(r.string(), r.u16(), r.i64());
            case INBOUND_QOS2_RELEASED:
                return new InboundQos2Released(r.string(), r.u16());
            case WILL_SCHEDULED:
                return new WillScheduled(r.string(), r.i64());
            case WILL_FIRED:
                return new WillFired(r.string());
            case WILL_CANCELLED:
                return new WillCancelled(r.string());
            case TAIL_DISCARDED:
                return new TailDiscarded(r.i64(), r.i64(), r.i64());
            case MESSAGE_RELOCATED:
                return readRelocated(r);
            default:
                throw new RecordDecodeException(Reason.UNKNOWN_TYPE, "no version 1 layout for " + type);
        }
    }

    private static MessageStored readMessage(BinaryReader r) {
        return readMessage(
                r, reader -> new Recipient(reader.string(), reader.u8(), reader.bool(), reader.subscriptionIds()));
    }

    static MessageStored readMessage(BinaryReader r, RecipientReader recipientReader) {
        String publisher = r.string();
        String topic = r.string();
        int qos = r.u8();
        boolean retain = r.bool();
        byte[] properties = r.bytes();
        byte[] payload = r.bytes();
        long receivedAt = r.i64();
        long expiresAt = r.i64();
        long count = r.u32();
        // Each recipient takes at least 6 bytes, so a huge count in a short body is malformed
        // before we allocate for it.
        if (count * 6 > r.remaining()) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, count + " recipients run past the end");
        }
        List<Recipient> recipients = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            recipients.add(recipientReader.read(r));
        }
        return new MessageStored(publisher, topic, qos, retain, properties, payload, receivedAt, expiresAt, recipients);
    }

    static SessionOpened readSessionOpened(BinaryReader r) {
        String clientId = r.string();
        boolean cleanStart = r.bool();
        long expiry = r.i64();
        int protocolLevel = r.u8();
        long at = r.i64();
        Will will = null;
        if (r.bool()) {
            will = new Will(r.string(), r.u8(), r.bool(), r.bytes(), r.bytes(), r.i64());
        }
        return new SessionOpened(clientId, cleanStart, expiry, protocolLevel, at, will);
    }

    private static int u32AsInt(BinaryReader r) {
        long value = r.u32();
        if (value > Integer.MAX_VALUE) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, "u32 out of int range: " + value);
        }
        return (int) value;
    }
}
