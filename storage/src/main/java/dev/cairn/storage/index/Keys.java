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

    private Keys() {
    }

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

    static byte[] queueEntry(String clientId, long position) {
        byte[] key = withSeparator(clientId, (byte) 0x00, 8);
        int at = key.length - 8;
        for (int i = 0; i < 8; i++) {
            key[at + i] = (byte) (position >>> (56 - 8 * i));
        }
        return key;
    }

    /** {@code payloadPosition (8 bytes big-endian), clientId UTF-8}: journal order first. */
    static byte[] payloadRef(long payloadPosition, String clientId) {
        byte[] client = utf8(clientId);
        byte[] key = new byte[8 + client.length];
        for (int i = 0; i < 8; i++) {
            key[i] = (byte) (payloadPosition >>> (56 - 8 * i));
        }
        System.arraycopy(client, 0, key, 8, client.length);
        return key;
    }

    static String payloadRefClient(byte[] key) {
        return new String(key, 8, key.length - 8, StandardCharsets.UTF_8);
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

    static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
