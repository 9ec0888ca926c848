package dev.cairn.storage.record;

/**
 * One durable fact. The journal is a sequence of these; the index is derived from them.
 *
 * <p>Every implementation is an immutable Java record whose {@link #type()} is a stable on-disk
 * code. Dispatch with a {@code switch} on {@link #type()} (Java 17 has no pattern switch).
 */
public sealed interface JournalRecord
        permits MessageStored,
                SessionOpened,
                SessionClosed,
                SessionExpired,
                Subscribed,
                Unsubscribed,
                DeliverySent,
                DeliveryReleased,
                DeliveryAcknowledged,
                InboundQos2Received,
                InboundQos2Released,
                WillScheduled,
                WillFired,
                WillCancelled,
                TailDiscarded,
                MessageRelocated {

    /** The record's type, which carries its stable on-disk code. */
    RecordType type();
}
