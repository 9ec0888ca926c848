package dev.cairn.protocol;

/**
 * The MQTT data types (section 1.5) that a property list is made of, read strictly from one
 * packet or stored block: every read checks the bytes are there first, and strings are strict
 * UTF-8 ({@link StrictUtf8}). Running off the end is malformed input, not a bug: an
 * implementation fails with its own Malformed Packet failure (the broker's codec reads Netty
 * buffers and raises its decode failure; {@link PropertyDecoder#decodeBlock} reads a byte array
 * and raises a {@link ProtocolViolation}). Values that must outlive the input are copied.
 */
public interface WireInput {

    boolean hasRemaining();

    int readByte(String field);

    int readTwoByteInteger(String field);

    long readFourByteInteger(String field);

    String readUtf8String(String field);

    byte[] readBinary(String field);

    /** An input confined to the next {@code length} bytes, so a section cannot overrun its end. */
    WireInput readSection(int length, String field);

    /**
     * Reads a variable byte integer, rejecting a fifth byte and non-minimal forms [MQTT-1.5.5-1].
     *
     * @throws ProtocolViolation (Malformed Packet) for either, besides the input's own failure
     *     when the bytes run out
     */
    default int readVariableByteInteger(String field) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte(field);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw ProtocolViolation.malformed(
                            field + ": variable byte integer not minimally encoded [MQTT-1.5.5-1]");
                }
                return value;
            }
        }
        throw ProtocolViolation.malformed(field + ": variable byte integer longer than 4 bytes");
    }
}
