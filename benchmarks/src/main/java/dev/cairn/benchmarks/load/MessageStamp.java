package dev.cairn.benchmarks.load;

/**
 * The header every load-generator payload starts with, so that the receiving side can attribute
 * and time each message without any shared state: publisher id (4 bytes), sequence number
 * (8 bytes) and send time (8 bytes, {@link System#nanoTime()}; only comparable on the same host,
 * which is why the generator runs publishers and subscribers in one process). All big-endian;
 * the rest of the payload is padding up to the requested size.
 */
record MessageStamp(int publisherId, long sequence, long sendNanos) {
    static final int SIZE_BYTES = 20;

    /** Returns a payload of {@code payloadBytes} (at least {@link #SIZE_BYTES}) carrying this stamp. */
    byte[] toPayload(int payloadBytes) {
        if (payloadBytes < SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "payload must be at least " + SIZE_BYTES + " bytes, was " + payloadBytes);
        }
        byte[] payload = new byte[payloadBytes];
        putInt(payload, 0, publisherId);
        putLong(payload, 4, sequence);
        putLong(payload, 12, sendNanos);
        return payload;
    }

    /** Reads the stamp at the start of a payload, or returns null if it is too short to carry one. */
    static MessageStamp fromPayload(byte[] payload) {
        if (payload.length < SIZE_BYTES) {
            return null;
        }
        return new MessageStamp(getInt(payload, 0), getLong(payload, 4), getLong(payload, 12));
    }

    private static void putInt(byte[] bytes, int offset, int value) {
        for (int i = 3; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static void putLong(byte[] bytes, int offset, long value) {
        for (int i = 7; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>>= 8;
        }
    }

    private static int getInt(byte[] bytes, int offset) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static long getLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }
}
