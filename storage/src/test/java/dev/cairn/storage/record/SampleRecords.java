package dev.cairn.storage.record;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** One or more fixed example values of every record type, shared by the codec and golden tests. */
public final class SampleRecords {
    private SampleRecords() {}

    /** Every record type at least once, with and without the optional parts. Order is fixed. */
    public static List<JournalRecord> all() {
        return List.of(
                message(
                        "pub-1",
                        "a/b",
                        1,
                        List.of(
                                new Recipient("sub-1", 1, false, new int[0]),
                                new Recipient("sub-2", 0, true, new int[] {7, 268_435_455}))),
                new MessageStored(
                        "pub-ü",
                        "retained/topic",
                        2,
                        true,
                        new byte[] {0x23, 0x00, 0x05},
                        new byte[0],
                        1_700_000_000_123L,
                        1_700_000_060_000L,
                        List.of()),
                new SessionOpened(
                        "client-1",
                        true,
                        3600,
                        5,
                        1_700_000_000_000L,
                        new Will("will/t", 1, true, new byte[] {0x18, 0, 0, 0, 30}, bytes("bye"), 30)),
                new SessionOpened("client-2", false, 0, 4, 1_700_000_000_001L, null),
                new SessionClosed("client-1", 3600, 1_700_000_000_500L),
                new SessionExpired("client-1", 1_700_003_600_500L),
                new Subscribed("client-1", "a/+/#", 0b0010_1110, 42),
                new Unsubscribed("client-1", "a/+/#"),
                new DeliverySent("client-1", 0x0001_0000_0000_0005L, 65_535),
                new DeliveryReleased("client-1", 0x0001_0000_0000_0005L, 1),
                new DeliveryAcknowledged("client-1", 0x0001_0000_0000_0005L),
                new InboundQos2Received("client-1", 17, 0x0001_0000_0000_0006L),
                new InboundQos2Released("client-1", 17),
                new WillScheduled("client-1", 1_700_000_030_500L),
                new WillFired("client-1"),
                new WillCancelled("client-2"),
                new TailDiscarded(0x0001_0000_0000_0007L, 0x0001_0000_0000_0009L, 1_700_000_099_000L),
                new MessageRelocated(
                        List.of(
                                new QueueRef("sub-1", 0x0001_0000_0000_0005L),
                                new QueueRef("sub-2", 0x0001_0000_0000_0005L)),
                        message("pub-1", "a/b", 1, List.of())));
    }

    /**
     * The samples of format version 2: every version 1 sample (their bytes differ only in the
     * trailing inbound packet id of MessageStored), plus a QoS 2 message carrying one.
     */
    public static List<JournalRecord> allV2() {
        List<JournalRecord> records = new java.util.ArrayList<>(all());
        records.add(new MessageStored(
                "pub-2",
                "q2/t",
                2,
                false,
                new byte[0],
                bytes("exactly once"),
                1_700_000_000_200L,
                -1,
                List.of(new Recipient("sub-1", 2, false, new int[0])),
                4242));
        return records;
    }

    /**
     * The samples of format version 3: every version 2 sample (their bytes differ in the copy
     * numbers of recipients, delivery records and queue refs), plus records that name a session's
     * second delivery of a message (copy 1).
     */
    public static List<JournalRecord> allV3() {
        List<JournalRecord> records = new java.util.ArrayList<>(allV2());
        records.add(new MessageStored(
                "pub-3",
                "x/y",
                2,
                true,
                new byte[0],
                bytes("two copies"),
                1_700_000_000_300L,
                -1,
                List.of(
                        new Recipient("both", 1, false, new int[] {1}, 0),
                        new Recipient("both", 2, true, new int[] {2}, 1)),
                0));
        records.add(new DeliverySent("both", 0x0001_0000_0000_000AL, 2, 1));
        records.add(new DeliveryReleased("both", 0x0001_0000_0000_000AL, 2, 1));
        records.add(new DeliveryAcknowledged("both", 0x0001_0000_0000_000AL, 1));
        records.add(new MessageRelocated(
                List.of(
                        new QueueRef("both", 0x0001_0000_0000_000AL, 0),
                        new QueueRef("both", 0x0001_0000_0000_000AL, 1)),
                message("pub-3", "x/y", 2, List.of())));
        return records;
    }

    /**
     * The samples of format version 4: every version 3 sample (a SessionOpened without an owner
     * now ends with a false "owner known" flag), plus sessions opened by a named owner and by an
     * anonymous one.
     */
    public static List<JournalRecord> allV4() {
        List<JournalRecord> records = new java.util.ArrayList<>(allV3());
        records.add(new SessionOpened(
                "client-3",
                false,
                3600,
                5,
                1_700_000_000_400L,
                new Will("will/u", 1, false, new byte[0], bytes("gone"), 60),
                new SessionOwner("alice", "tls-8883")));
        records.add(
                new SessionOpened("client-4", true, 0, 4, 1_700_000_000_401L, null, new SessionOwner(null, "default")));
        return records;
    }

    public static MessageStored message(String publisher, String topic, int qos, List<Recipient> recipients) {
        return new MessageStored(
                publisher,
                topic,
                qos,
                false,
                new byte[0],
                bytes("payload of " + topic),
                1_700_000_000_000L,
                -1,
                recipients);
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
