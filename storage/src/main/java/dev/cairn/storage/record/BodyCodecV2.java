package dev.cairn.storage.record;

/**
 * Body layouts of format version 2: identical to version 1 except {@code MessageStored}, which
 * ends with a u16 inbound packet id (0 none). Version 2 exists so that a QoS 2 message and the
 * publisher's packet id awaiting PUBREL are one record: with two records a kill -9 between the
 * appends kept the message but forgot the id, and the publisher's re-sent PUBLISH was routed a
 * second time. No longer written (version 3 is); read only. Stateless.
 */
final class BodyCodecV2 {
    private BodyCodecV2() {}

    static JournalRecord read(RecordType type, BinaryReader r) {
        JournalRecord record = BodyCodecV1.read(type, r);
        if (type != RecordType.MESSAGE_STORED) {
            return record;
        }
        int packetId = r.u16();
        try {
            return ((MessageStored) record).withInboundPacketId(packetId);
        } catch (IllegalArgumentException e) {
            throw new RecordDecodeException(
                    RecordDecodeException.Reason.MALFORMED_BODY, "MESSAGE_STORED: " + e.getMessage());
        }
    }
}
