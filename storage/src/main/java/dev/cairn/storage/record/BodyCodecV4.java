package dev.cairn.storage.record;

import dev.cairn.storage.record.RecordDecodeException.Reason;

/**
 * Body layouts of format version 4: {@code SessionOpened} ends with the session's owner (the
 * username and listener of the connection), so a will that goes out while the client is away, after
 * a restart, is judged by the topic ACL as its owner; before version 4 a restored session's owner
 * was unknown. The body is version 1's, then {@code bool ownerKnown} and, if known, {@code string
 * listener, bool hasUsername} and, if it has one, {@code string username}. Every other type is laid
 * out as in version 3. Stateless.
 */
final class BodyCodecV4 {
    private BodyCodecV4() {}

    static void write(JournalRecord record, BinaryWriter w) {
        if (record.type() != RecordType.SESSION_OPENED) {
            BodyCodecV3.write(record, w);
            return;
        }
        SessionOpened r = (SessionOpened) record;
        BodyCodecV1.writeSessionOpened(r, w);
        SessionOwner.write(r.owner(), w);
    }

    static JournalRecord read(RecordType type, BinaryReader r) {
        if (type != RecordType.SESSION_OPENED) {
            return BodyCodecV3.read(type, r);
        }
        try {
            SessionOpened opened = BodyCodecV1.readSessionOpened(r);
            SessionOwner owner = SessionOwner.read(r);
            return new SessionOpened(
                    opened.clientId(),
                    opened.cleanStart(),
                    opened.sessionExpirySeconds(),
                    opened.protocolLevel(),
                    opened.atMillis(),
                    opened.will(),
                    owner);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RecordDecodeException(Reason.MALFORMED_BODY, type + ": " + e.getMessage());
        }
    }
}
