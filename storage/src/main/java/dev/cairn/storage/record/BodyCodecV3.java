package dev.cairn.storage.record;

import dev.cairn.storage.record.RecordDecodeException.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Body layouts of format version 3: a queue entry is named by {@code (clientId, position, copy)},
 * because one session may get several deliveries of one message (its non-shared subscriptions and
 * each shared group that picked it, MQTT 5.0 section 4.8.2). So every {@code MessageStored}
 * recipient, the three delivery records and the queue refs of {@code MessageRelocated} carry a u32
 * {@code copy}; {@code MessageStored} keeps version 2's trailing inbound packet id. Every other type
 * is laid out as in version 1. No longer written alone: version 4 writes these layouts for every type
 * but {@code SessionOpened}. Stateless.
 */
final class BodyCodecV3 {
    /** The fewest bytes a queue ref takes: an empty client id, a position and a copy. */
    private static final int REF_BYTES_MIN = 2 + 8 + 4;

    private BodyCodecV3() {}

    static void write(JournalRecord record, BinaryWriter w) {
        switch (record.type()) {
            case MESSAGE_STORED:
                writeMessage((MessageStored) record, w);
                break;
            case DELIVERY_SENT: {
                DeliverySent r = (DeliverySent) record;
                w.string(r.clientId()).i64(r.position()).u32(r.copy()).u16(r.packetId());
                break;
            }
            case DELIVERY_RELEASED: {
                DeliveryReleased r = (DeliveryReleased) record;
                w.string(r.clientId()).i64(r.position()).u32(r.copy()).u16(r.packetId());
                break;
            }
            case DELIVERY_ACKNOWLEDGED: {
                DeliveryAcknowledged r = (DeliveryAcknowledged) record;
                w.string(r.clientId()).i64(r.position()).u32(r.copy());
                break;
            }
            case MESSAGE_RELOCATED: {
                MessageRelocated r = (MessageRelocated) record;
                w.u32(r.refs().size());
                for (QueueRef ref : r.refs()) {
                    w.string(ref.clientId()).i64(ref.queuePosition()).u32(ref.copy());
                }
                writeMessage(r.message(), w);
                break;
            }
            default:
                BodyCodecV1.write(record, w);
        }
    }

    private static void writeMessage(MessageStored m, BinaryWriter w) {
        BodyCodecV1.writeMessage(
                m,
                w,
                (recipient, out) -> out.string(recipient.clientId())
                        .u32(recipient.copy())
                        .u8(recipient.qos())
                        .bool(recipient.retainAsPublished())
                        .subscriptionIds(recipient.subscriptionIds()));
        w.u16(m.inboundPacketId());
    }

    static JournalRecord read(RecordType type, BinaryReader r) {
        try {
            switch (type) {
                case MESSAGE_STORED:
                    return readMessage(r);
                case DELIVERY_SENT: {
                    String clientId = r.string();
                    long position = r.i64();
                    int copy = copy(r);
                    return new DeliverySent(clientId, position, r.u16(), copy);
                }
                case DELIVERY_RELEASED: {
                    String clientId = r.string();
                    long position = r.i64();
                    int copy = copy(r);
                    return new DeliveryReleased(clientId, position, r.u16(), copy);
                }
                case DELIVERY_ACKNOWLEDGED:
                    return new DeliveryAcknowledged(r.string(), r.i64(), copy(r));
                case MESSAGE_RELOCATED:
                    return readRelocated(r);
                default:
                    return BodyCodecV1.read(type, r);
            }
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, type + ": " + e.getMessage());
        }
    }

    private static MessageStored readMessage(BinaryReader r) {
        MessageStored m = BodyCodecV1.readMessage(r, in -> {
            String clientId = in.string();
            int copy = copy(in);
            return new Recipient(clientId, in.u8(), in.bool(), in.subscriptionIds(), copy);
        });
        return m.withInboundPacketId(r.u16());
    }

    private static MessageRelocated readRelocated(BinaryReader r) {
        long count = r.u32();
        if (count * REF_BYTES_MIN > r.remaining()) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, count + " queue refs run past the end");
        }
        List<QueueRef> refs = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            String clientId = r.string();
            long position = r.i64();
            refs.add(new QueueRef(clientId, position, copy(r)));
        }
        return new MessageRelocated(refs, readMessage(r));
    }

    private static int copy(BinaryReader r) {
        long copy = r.u32();
        if (copy > Integer.MAX_VALUE) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, "copy out of range: " + copy);
        }
        return (int) copy;
    }
}
