package dev.cairn.tools.journal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The MQTT 5 PUBLISH properties in a {@code MessageStored} record's opaque property block, which
 * is the PUBLISH property encoding (MQTT 5 section 3.3.2.3): a variable byte integer length, then
 * the properties, each a variable byte integer identifier and a value. Decoded here because the
 * storage layer keeps the block opaque and the tool must not depend on the broker's codec.
 *
 * @param payloadFormat 0x01, or {@code null}
 * @param messageExpirySeconds 0x02, or {@code null}
 * @param topicAlias 0x23, or {@code null} (never forwarded)
 */
public record Mqtt5Properties(
        Integer payloadFormat, Long messageExpirySeconds, String contentType, String responseTopic,
        byte[] correlationData, List<Integer> subscriptionIds, Integer topicAlias,
        List<Map.Entry<String, String>> userProperties) {

    public static final Mqtt5Properties EMPTY =
            new Mqtt5Properties(null, null, null, null, null, List.of(), null, List.of());

    public boolean isEmpty() {
        return payloadFormat == null && messageExpirySeconds == null && contentType == null && responseTopic == null
                && correlationData == null && subscriptionIds.isEmpty() && topicAlias == null
                && userProperties.isEmpty();
    }

    /**
     * Decodes a property block; the empty array (MQTT 3.1.1 messages) is {@link #EMPTY}.
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static Mqtt5Properties decode(byte[] block) {
        if (block.length == 0) {
            return EMPTY;
        }
        Reader r = new Reader(block);
        int length = r.variableByteInteger();
        if (length != r.remaining()) {
            throw new IllegalArgumentException("property length " + length + " but " + r.remaining() + " bytes follow");
        }
        Builder b = new Builder();
        while (r.remaining() > 0) {
            int id = r.variableByteInteger();
            switch (id) {
                case 0x01: b.payloadFormat = r.u8(); break;
                case 0x02: b.messageExpiry = r.u32(); break;
                case 0x03: b.contentType = r.string(); break;
                case 0x08: b.responseTopic = r.string(); break;
                case 0x09: b.correlationData = r.binary(); break;
                case 0x0B: b.subscriptionIds.add(r.variableByteInteger()); break;
                case 0x23: b.topicAlias = r.u16(); break;
                case 0x26: b.userProperties.add(new AbstractMap.SimpleImmutableEntry<>(r.string(), r.string())); break;
                default: throw new IllegalArgumentException(String.format("property 0x%02x is not a PUBLISH property", id));
            }
        }
        return new Mqtt5Properties(b.payloadFormat, b.messageExpiry, b.contentType, b.responseTopic,
                b.correlationData, List.copyOf(b.subscriptionIds), b.topicAlias, List.copyOf(b.userProperties));
    }

    /** The properties as a JSON object, binary values in base64. */
    public String toJson() {
        Json json = new Json();
        if (payloadFormat != null) {
            json.field("payloadFormat", payloadFormat);
        }
        if (messageExpirySeconds != null) {
            json.field("messageExpirySeconds", messageExpirySeconds);
        }
        if (contentType != null) {
            json.field("contentType", contentType);
        }
        if (responseTopic != null) {
            json.field("responseTopic", responseTopic);
        }
        if (correlationData != null) {
            json.field("correlationData", java.util.Base64.getEncoder().encodeToString(correlationData));
        }
        if (!subscriptionIds.isEmpty()) {
            json.raw("subscriptionIds", subscriptionIds.toString().replace(" ", ""));
        }
        if (topicAlias != null) {
            json.field("topicAlias", topicAlias);
        }
        if (!userProperties.isEmpty()) {
            StringBuilder pairs = new StringBuilder("[");
            for (Map.Entry<String, String> p : userProperties) {
                pairs.append(pairs.length() > 1 ? "," : "").append('[').append(Json.quoted(p.getKey())).append(',')
                        .append(Json.quoted(p.getValue())).append(']');
            }
            json.raw("userProperties", pairs.append(']').toString());
        }
        return json.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Mqtt5Properties that && toJson().equals(that.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    private static final class Builder {
        Integer payloadFormat;
        Long messageExpiry;
        String contentType;
        String responseTopic;
        byte[] correlationData;
        Integer topicAlias;
        final List<Integer> subscriptionIds = new ArrayList<>();
        final List<Map.Entry<String, String>> userProperties = new ArrayList<>();
    }

    private static final class Reader {
        private final byte[] bytes;
        private int offset;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - offset;
        }

        int u8() {
            need(1);
            return bytes[offset++] & 0xFF;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        long u32() {
            return ((long) u16() << 16) | u16();
        }

        int variableByteInteger() {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int b = u8();
                value |= (b & 0x7F) << (7 * i);
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("variable byte integer longer than 4 bytes");
        }

        byte[] binary() {
            int length = u16();
            need(length);
            byte[] value = Arrays.copyOfRange(bytes, offset, offset + length);
            offset += length;
            return value;
        }

        String string() {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(binary())).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("a property string is not UTF-8", e);
            }
        }

        private void need(int count) {
            if (remaining() < count) {
                throw new IllegalArgumentException("property block ends inside a property");
            }
        }
    }
}
