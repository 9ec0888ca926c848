package dev.cairn.storage.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.storage.record.RecordDecodeException.Reason;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Goal: every record survives encode/decode, and every kind of damage is reported with its reason. */
class RecordCodecTest {

    static Iterable<JournalRecord> samples() {
        return SampleRecords.allV4();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyRecordTypeRoundTrips(JournalRecord record) {
        byte[] frame = RecordCodec.encode(record);

        JournalRecord decoded = RecordCodec.decode(frame);

        assertEquals(record, decoded);
        assertEquals(record.type().code(), frame[2] & 0xFF);
        assertEquals(RecordCodec.CURRENT_VERSION, frame[1]);
    }

    @Test
    void samplesCoverEveryRecordType() {
        Set<RecordType> seen = EnumSet.noneOf(RecordType.class);
        SampleRecords.all().forEach(r -> seen.add(r.type()));
        assertEquals(EnumSet.allOf(RecordType.class), seen);
    }

    @Test
    void typeCodesAreTheDocumentedOnes() {
        int[] expected = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 100};
        RecordType[] types = RecordType.values();
        assertEquals(expected.length, types.length);
        for (int i = 0; i < types.length; i++) {
            assertEquals(expected[i], types[i].code(), types[i].name());
            assertEquals(types[i], RecordType.ofCode(expected[i]));
        }
    }

    @Test
    void aFlippedBitAnywhereIsACrcMismatch() {
        byte[] frame = RecordCodec.encode(SampleRecords.all().get(0));
        for (int i = 0; i < frame.length; i++) {
            if (i >= 4 && i < 8) {
                continue; // the length field: a flip there is a LENGTH_MISMATCH, checked below
            }
            byte[] damaged = frame.clone();
            damaged[i] ^= 0x10;
            assertEquals(Reason.CRC_MISMATCH, reasonOf(damaged), "flip at byte " + i);
        }
    }

    @Test
    void aDamagedLengthIsALengthMismatch() {
        byte[] frame = RecordCodec.encode(new WillFired("c"));
        frame[7] ^= 0x01;
        assertEquals(Reason.LENGTH_MISMATCH, reasonOf(frame));
    }

    @Test
    void aCutFrameIsReportedAsLengthMismatchOrTooShort() {
        byte[] frame = RecordCodec.encode(new WillFired("c"));
        assertEquals(Reason.LENGTH_MISMATCH, reasonOf(java.util.Arrays.copyOf(frame, frame.length - 1)));
        assertEquals(Reason.TOO_SHORT, reasonOf(java.util.Arrays.copyOf(frame, 11)));
    }

    @Test
    void anUnknownVersionIsRefusedEvenWithAValidCrc() {
        byte[] frame = RecordCodec.encode(new WillFired("c"));
        frame[1] = (byte) (RecordCodec.CURRENT_VERSION + 1);
        assertEquals(Reason.UNKNOWN_VERSION, reasonOf(withFreshCrc(frame)));
        frame[1] = 0;
        assertEquals(Reason.UNKNOWN_VERSION, reasonOf(withFreshCrc(frame)));
    }

    @Test
    void anUnknownTypeIsRefusedEvenWithAValidCrc() {
        byte[] frame = RecordCodec.encode(new WillFired("c"));
        frame[2] = 99;
        RecordDecodeException e =
                assertThrows(RecordDecodeException.class, () -> RecordCodec.decode(withFreshCrc(frame)));
        assertEquals(Reason.UNKNOWN_TYPE, e.reason());
        assertEquals("UNKNOWN_TYPE: record type code 99", e.getMessage());
    }

    @Test
    void badMagicAndReservedFlagsAreRefused() {
        byte[] frame = RecordCodec.encode(new WillFired("c"));
        byte[] magic = frame.clone();
        magic[0] = 0x00;
        assertEquals(Reason.BAD_MAGIC, reasonOf(withFreshCrc(magic)));
        byte[] flags = frame.clone();
        flags[3] = 0x01;
        assertEquals(Reason.BAD_FLAGS, reasonOf(withFreshCrc(flags)));
    }

    @Test
    void aMalformedBodyWithAValidCrcIsRefused() {
        // SessionOpened body: string clientId "c" (3 bytes), then the cleanStart bool at body offset 3.
        byte[] frame = RecordCodec.encode(new SessionOpened("c", false, 0, 5, 0, null));
        frame[RecordCodec.HEADER_BYTES + 3] = 2;
        assertEquals(Reason.MALFORMED_BODY, reasonOf(withFreshCrc(frame)));
    }

    /** A session owner's flags are bools like any other: 2 is malformed, not "true". */
    @Test
    void aMalformedOwnerIsRefused() {
        SessionOpened opened = new SessionOpened("c", false, 0, 5, 0, null, new SessionOwner(null, "l"));
        byte[] frame = RecordCodec.encode(opened);
        // Body: clientId "c" (3), cleanStart (1), expiry (8), level (1), at (8), hasWill (1), then
        // ownerKnown at 22, listener "l" (3), hasUsername at 26.
        byte[] badUsernameFlag = frame.clone();
        badUsernameFlag[RecordCodec.HEADER_BYTES + 26] = 2;
        assertEquals(Reason.MALFORMED_BODY, reasonOf(withFreshCrc(badUsernameFlag)));
        byte[] cutShort = java.util.Arrays.copyOf(frame, frame.length - 1);
        cutShort[7]--;
        assertEquals(Reason.MALFORMED_BODY, reasonOf(withFreshCrc(cutShort)));
    }

    @Test
    void arraysAreCopiedOutOfTheFrame() {
        MessageStored original = SampleRecords.message("p", "t", 1, java.util.List.of());
        byte[] frame = RecordCodec.encode(original);
        MessageStored decoded = (MessageStored) RecordCodec.decode(frame);
        java.util.Arrays.fill(frame, (byte) 0);
        assertArrayEquals(original.payload(), decoded.payload());
    }

    static Reason reasonOf(byte[] frame) {
        return assertThrows(RecordDecodeException.class, () -> RecordCodec.decode(frame))
                .reason();
    }

    /** Recomputes the trailing CRC so a test can reach the checks behind it. */
    static byte[] withFreshCrc(byte[] frame) {
        CRC32C crc = new CRC32C();
        crc.update(frame, 0, frame.length - 4);
        int value = (int) crc.getValue();
        byte[] copy = frame.clone();
        for (int i = 0; i < 4; i++) {
            copy[frame.length - 4 + i] = (byte) (value >>> (24 - 8 * i));
        }
        return copy;
    }
}
