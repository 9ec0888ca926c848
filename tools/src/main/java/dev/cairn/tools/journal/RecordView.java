package dev.cairn.tools.journal;

import dev.cairn.storage.record.DeliveryAcknowledged;
import dev.cairn.storage.record.DeliveryReleased;
import dev.cairn.storage.record.DeliverySent;
import dev.cairn.storage.record.InboundQos2Received;
import dev.cairn.storage.record.InboundQos2Released;
import dev.cairn.storage.record.JournalRecord;
import dev.cairn.storage.record.MessageRelocated;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.QueueRef;
import dev.cairn.storage.record.Recipient;
import dev.cairn.storage.record.SessionClosed;
import dev.cairn.storage.record.SessionExpired;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.storage.record.Subscribed;
import dev.cairn.storage.record.TailDiscarded;
import dev.cairn.storage.record.Unsubscribed;
import dev.cairn.storage.record.WillCancelled;
import dev.cairn.storage.record.WillFired;
import dev.cairn.storage.record.WillScheduled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tools show of one record: its own time (if it has one), the client ids it concerns,
 * its topic (if it has one), and its key fields as text or JSON. One switch on the record type,
 * the only place that knows every record's fields. Pure.
 */
public final class RecordView {
    /** A record with no time of its own. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private RecordView() {}

    /** The record's own time in epoch millis, or {@link #NO_TIME}. */
    public static long time(JournalRecord record) {
        switch (record.type()) {
            case MESSAGE_STORED:
                return ((MessageStored) record).receivedAtMillis();
            case SESSION_OPENED:
                return ((SessionOpened) record).atMillis();
            case SESSION_CLOSED:
                return ((SessionClosed) record).atMillis();
            case SESSION_EXPIRED:
                return ((SessionExpired) record).atMillis();
            case TAIL_DISCARDED:
                return ((TailDiscarded) record).atMillis();
            default:
                return NO_TIME;
        }
    }

    /** The client ids the record concerns: for a message its publisher and every recipient. */
    public static List<String> clientIds(JournalRecord record) {
        switch (record.type()) {
            case MESSAGE_STORED: {
                MessageStored m = (MessageStored) record;
                List<String> ids = new ArrayList<>();
                ids.add(m.publisherClientId());
                m.recipients().forEach(r -> ids.add(r.clientId()));
                return ids;
            }
            case MESSAGE_RELOCATED: {
                List<String> ids = new ArrayList<>();
                ((MessageRelocated) record).refs().forEach(r -> ids.add(r.clientId()));
                return ids;
            }
            case TAIL_DISCARDED:
                return List.of();
            default:
                return List.of(clientIdOf(record));
        }
    }

    private static String clientIdOf(JournalRecord record) {
        switch (record.type()) {
            case SESSION_OPENED:
                return ((SessionOpened) record).clientId();
            case SESSION_CLOSED:
                return ((SessionClosed) record).clientId();
            case SESSION_EXPIRED:
                return ((SessionExpired) record).clientId();
            case SUBSCRIBED:
                return ((Subscribed) record).clientId();
            case UNSUBSCRIBED:
                return ((Unsubscribed) record).clientId();
            case DELIVERY_SENT:
                return ((DeliverySent) record).clientId();
            case DELIVERY_RELEASED:
                return ((DeliveryReleased) record).clientId();
            case DELIVERY_ACKNOWLEDGED:
                return ((DeliveryAcknowledged) record).clientId();
            case INBOUND_QOS2_RECEIVED:
                return ((InboundQos2Received) record).clientId();
            case INBOUND_QOS2_RELEASED:
                return ((InboundQos2Released) record).clientId();
            case WILL_SCHEDULED:
                return ((WillScheduled) record).clientId();
            case WILL_FIRED:
                return ((WillFired) record).clientId();
            case WILL_CANCELLED:
                return ((WillCancelled) record).clientId();
            default:
                throw new IllegalArgumentException("no client id in " + record.type());
        }
    }

    /** The topic name the record carries (a message's topic, a will's topic), or {@code null}. */
    public static String topic(JournalRecord record) {
        if (record instanceof MessageStored m) {
            return m.topic();
        } else if (record instanceof MessageRelocated r) {
            return r.message().topic();
        } else if (record instanceof SessionOpened s && s.will() != null) {
            return s.will().topic();
        }
        return null;
    }

    /** A session's owner (format version 4 on); nothing where the record does not say. */
    private static String owner(SessionOwner owner) {
        if (owner == null) {
            return "";
        }
        return " listener=" + owner.listener() + " user=" + (owner.username() == null ? "(none)" : owner.username());
    }

    /** The key fields as {@code name=value} text for the table. */
    public static String details(JournalRecord record, PayloadEncoding payloads) {
        switch (record.type()) {
            case MESSAGE_STORED:
                return message((MessageStored) record, payloads);
            case SESSION_OPENED: {
                SessionOpened s = (SessionOpened) record;
                return "client=" + s.clientId() + " cleanStart=" + s.cleanStart() + " expiry="
                        + s.sessionExpirySeconds()
                        + "s protocol=" + s.protocolLevel()
                        + (s.will() == null
                                ? ""
                                : " will=" + s.will().topic()
                                        + "(qos" + s.will().qos() + ", "
                                        + s.will().payload().length + "B, delay "
                                        + s.will().delaySeconds() + "s)")
                        + owner(s.owner());
            }
            case SESSION_CLOSED: {
                SessionClosed s = (SessionClosed) record;
                return "client=" + s.clientId() + " expiry=" + s.sessionExpirySeconds() + "s";
            }
            case SUBSCRIBED: {
                Subscribed s = (Subscribed) record;
                return "client=" + s.clientId() + " filter=" + s.filter() + " qos=" + (s.options() & 3)
                        + String.format(" options=0x%02x", s.options()) + " subId=" + s.subscriptionId();
            }
            case UNSUBSCRIBED:
                return "client=" + clientIdOf(record) + " filter=" + ((Unsubscribed) record).filter();
            case DELIVERY_SENT: {
                DeliverySent d = (DeliverySent) record;
                return "client=" + d.clientId() + " of=" + d.position() + copy(d.copy()) + " packetId=" + d.packetId();
            }
            case DELIVERY_RELEASED: {
                DeliveryReleased d = (DeliveryReleased) record;
                return "client=" + d.clientId() + " of=" + d.position() + copy(d.copy()) + " packetId=" + d.packetId();
            }
            case DELIVERY_ACKNOWLEDGED: {
                DeliveryAcknowledged d = (DeliveryAcknowledged) record;
                return "client=" + d.clientId() + " of=" + d.position() + copy(d.copy());
            }
            case INBOUND_QOS2_RECEIVED: {
                InboundQos2Received r = (InboundQos2Received) record;
                return "client=" + r.clientId() + " packetId=" + r.packetId() + " of=" + r.position();
            }
            case INBOUND_QOS2_RELEASED:
                return "client=" + clientIdOf(record) + " packetId=" + ((InboundQos2Released) record).packetId();
            case WILL_SCHEDULED: {
                WillScheduled w = (WillScheduled) record;
                return "client=" + w.clientId() + " fireAt=" + Instant.ofEpochMilli(w.fireAtMillis());
            }
            case TAIL_DISCARDED: {
                TailDiscarded t = (TailDiscarded) record;
                return "discarded=" + t.firstPosition() + ".." + t.lastPosition();
            }
            case MESSAGE_RELOCATED:
                return relocated((MessageRelocated) record, PayloadEncoding.NONE);
            default:
                return "client=" + clientIdOf(record);
        }
    }

    private static String message(MessageStored m, PayloadEncoding payloads) {
        StringBuilder b = new StringBuilder()
                .append("pub=")
                .append(m.publisherClientId())
                .append(" topic=")
                .append(m.topic())
                .append(" qos=")
                .append(m.qos())
                .append(" retain=")
                .append(m.retain())
                .append(" payload=")
                .append(m.payload().length)
                .append('B');
        if (m.properties().length > 0) {
            b.append(" props=").append(describeProperties(m.properties()));
        }
        if (m.expiresAtMillis() >= 0) {
            b.append(" expiresAt=").append(Instant.ofEpochMilli(m.expiresAtMillis()));
        }
        b.append(" to=[");
        for (int i = 0; i < m.recipients().size(); i++) {
            Recipient r = m.recipients().get(i);
            b.append(i == 0 ? "" : ",")
                    .append(r.clientId())
                    .append("(qos")
                    .append(r.qos())
                    .append(copy(r.copy()))
                    .append(')');
        }
        b.append(']');
        String payload = payloads.render(m.payload());
        if (payload != null) {
            b.append(" data=").append(payloads == PayloadEncoding.UTF8 ? Json.quoted(payload) : payload);
        }
        return b.toString();
    }

    /** The queue entries a relocated copy now serves, then its message. */
    private static String relocated(MessageRelocated r, PayloadEncoding payloads) {
        StringBuilder b = new StringBuilder("for=[");
        for (int i = 0; i < r.refs().size(); i++) {
            QueueRef ref = r.refs().get(i);
            b.append(i == 0 ? "" : ",")
                    .append(ref.clientId())
                    .append("(of=")
                    .append(ref.queuePosition())
                    .append(copy(ref.copy()))
                    .append(')');
        }
        return b.append("] ").append(message(r.message(), payloads)).toString();
    }

    /** {@code " copy=N"} for a session's further delivery of a message, nothing for its first (copy 0). */
    private static String copy(int copy) {
        return copy == 0 ? "" : " copy=" + copy;
    }

    static String describeProperties(byte[] block) {
        try {
            return PropertiesJson.decode(block);
        } catch (IllegalArgumentException e) {
            return block.length + "B (undecodable: " + e.getMessage() + ")";
        }
    }

    /** The key fields as JSON fields, added to {@code json}. */
    public static void addJson(JournalRecord record, Json json, PayloadEncoding payloads) {
        if (record instanceof MessageStored m) {
            json.field("publisher", m.publisherClientId())
                    .field("topic", m.topic())
                    .field("qos", m.qos())
                    .field("retain", m.retain())
                    .field("payloadBytes", m.payload().length)
                    .field(
                            "expiresAt",
                            m.expiresAtMillis() < 0
                                    ? null
                                    : Instant.ofEpochMilli(m.expiresAtMillis()).toString());
            if (m.properties().length > 0) {
                try {
                    json.raw("properties", PropertiesJson.decode(m.properties()));
                } catch (IllegalArgumentException e) {
                    json.field("propertiesError", e.getMessage());
                }
            }
            StringBuilder recipients = new StringBuilder("[");
            for (Recipient r : m.recipients()) {
                recipients
                        .append(recipients.length() > 1 ? "," : "")
                        .append(new Json()
                                .field("client", r.clientId())
                                .field("qos", r.qos())
                                .field("retainAsPublished", r.retainAsPublished())
                                .field("copy", r.copy()));
            }
            json.raw("recipients", recipients.append(']').toString());
            String payload = payloads.render(m.payload());
            if (payload != null) {
                json.field("payload", payload)
                        .field("payloadEncoding", payloads.name().toLowerCase(java.util.Locale.ROOT));
            }
            return;
        }
        if (!(record instanceof TailDiscarded) && !(record instanceof MessageRelocated)) {
            json.field("client", clientIdOf(record));
        }
        json.field("details", details(record, PayloadEncoding.NONE));
    }
}
