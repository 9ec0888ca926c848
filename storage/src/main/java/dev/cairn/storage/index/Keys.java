package dev.cairn.storage.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts. Per-client keys are {@code clientId UTF-8, 0x00, suffix}; MQTT strings cannot
 * contain U+0000, so {@code [clientId 0x00, clientId 0x01)} holds exactly one client's keys.
 * Positions and packet ids are big-endian so that byte order is numeric order.
 */
final class Keys {
    static final byte[] APPLIED_POSITION = utf8("appliedPosition");
    static final byte[] INDEX_FORMAT = utf8("indexFormat");

    private Keys() {}

    static byte[] client(String clientId) {
        return utf8(clientId);
    }

    static byte[] topic(String topic) {
        return utf8(topic);
    }

    /** The first key of a client's range in the per-client column families. */
    static byte[] clientStart(String clientId) {
        return withSeparator(clientId, (byte) 0x00, 0);
    }

    /** The first key after a client's range. */
    static byte[] clientEnd(String clientId) {
        return withSeparator(clientId, (byte) 0x01, 0);
    }

    static byte[] subscription(String clientId, String filter) {
        byte[] filterBytes = utf8(filter);
        byte[] key = withSeparator(clientId, (byte) 0x00, filterBytes.length);
        System.arraycopy(filterBytes, 0, key, key.length - filterBytes.length, filterBytes.length);
        return key;
    }

    /**
     * {@code clientId 0x00 position}, and for a copy other than 0 (a session's further delivery of
     * the same message, since index format 4) a u32 {@code copy} after it. Copy 0 keeps the older
     * formats' key, and byte order is (position, copy) order: a key is a prefix of its copies' keys.
     */
    static byte[] queueEntry(String clientId, long position, int copy) {
        int suffixBytes = copy == 0 ? 8 : 12;
        byte[] key = withSeparator(clientId, (byte) 0x00, suffixBytes);
        int at = key.length - suffixBytes;
        putLong(key, at, position);
        if (copy != 0) {
            putInt(key, at + 8, copy);
        }
        return key;
    }

    /** The position in a queue key whose {@code clientId 0x00} prefix takes {@code prefixBytes}. */
    static long queuePosition(byte[] key, int prefixBytes) {
        return readLong(key, prefixBytes);
    }

    /** The copy number in a queue key whose {@code clientId 0x00} prefix takes {@code prefixBytes}. */
    static int queueCopy(byte[] key, int prefixBytes) {
        return key.length > prefixBytes + 8 ? readInt(key, prefixBytes + 8) : 0;
    }

    /**
     * {@code payloadPosition (8 bytes big-endian), clientId UTF-8}: journal order first; for a copy
     * other than 0 followed by {@code 0x00, copy u32} (a client id never contains U+0000).
     */
    static byte[] payloadRef(long payloadPosition, String clientId, int copy) {
        byte[] client = utf8(clientId);
        byte[] key = new byte[8 + client.length + (copy == 0 ? 0 : 5)];
        putLong(key, 0, payloadPosition);
        System.arraycopy(client, 0, key, 8, client.length);
        if (copy != 0) {
            key[8 + client.length] = 0x00;
            putInt(key, 9 + client.length, copy);
        }
        return key;
    }

    static String payloadRefClient(byte[] key) {
        return new String(key, 8, payloadRefClientEnd(key) - 8, StandardCharsets.UTF_8);
    }

    static int payloadRefCopy(byte[] key) {
        int end = payloadRefClientEnd(key);
        return end == key.length ? 0 : readInt(key, end + 1);
    }

    private static int payloadRefClientEnd(byte[] key) {
        for (int i = 8; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        return key.length;
    }

    static byte[] inbound(String clientId, int packetId) {
        byte[] key = withSeparator(clientId, (byte) 0x00, 2);
        key[key.length - 2] = (byte) (packetId >>> 8);
        key[key.length - 1] = (byte) packetId;
        return key;
    }

    /** The suffix after {@code clientId 0x00} of a per-client key. */
    static byte[] suffix(byte[] key, int clientPrefixBytes) {
        return Arrays.copyOfRange(key, clientPrefixBytes, key.length);
    }

    static int readInt(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 24)
                | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8)
                | (bytes[offset + 3] & 0xFF);
    }

    private static void putLong(byte[] key, int at, long value) {
        for (int i = 0; i < 8; i++) {
            key[at + i] = (byte) (value >>> (56 - 8 * i));
        }
    }

    private static void putInt(byte[] key, int at, int value) {
        for (int i = 0; i < 4; i++) {
            key[at + i] = (byte) (value >>> (24 - 8 * i));
        }
    }

    static long readLong(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    private static byte[] withSeparator(String clientId, byte separator, int suffixBytes) {
        byte[] client = utf8(clientId);
        byte[] key = new byte[client.length + 1 + suffixBytes];
        System.arraycopy(client, 0, key, 0, client.length);
        key[client.length] = separator;
        return key;
    }

    /** Per-client keys are {@code clientId 0x00 suffix}; a client id never contains U+0000. */
    static int clientSeparatorIndex(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == 0) {
                return i;
            }
        }
        throw new IndexCorruptException("a per-client key without a client separator");
    }

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
