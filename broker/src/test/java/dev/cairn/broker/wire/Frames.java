package dev.cairn.broker.wire;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Builds the hex of hand-made packets for the wire tables. Only lengths are computed (remaining
 * length, string and property lengths), so that a table row states its content and cannot get a
 * length wrong by accident; rows about broken lengths spell out every byte instead.
 */
final class Frames {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    private Frames() {}

    /** A whole packet: the fixed header byte, the computed remaining length, then the body. */
    static String packet(String fixedHeaderByte, String... body) {
        byte[] content = bytes(String.join(" ", body));
        return normalize(fixedHeaderByte) + " " + variableByteInteger(content.length)
                + (content.length == 0 ? "" : " " + HEX.formatHex(content));
    }

    /** A UTF-8 Encoded String: two-byte length, then the characters. */
    static String utf8(String text) {
        return lengthPrefixed(HEX.formatHex(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Two-byte length, then the given bytes: for strings that are deliberately not valid UTF-8. */
    static String lengthPrefixed(String hex) {
        int length = bytes(hex).length;
        return String.format("%02X %02X", length >> 8, length & 0xFF) + (length == 0 ? "" : " " + normalize(hex));
    }

    /** An MQTT 5 property list: variable byte integer length, then the properties. */
    static String properties(String... properties) {
        byte[] content = bytes(String.join(" ", properties));
        return variableByteInteger(content.length) + (content.length == 0 ? "" : " " + HEX.formatHex(content));
    }

    static String variableByteInteger(int value) {
        StringBuilder out = new StringBuilder();
        int rest = value;
        do {
            int digit = rest % 128;
            rest /= 128;
            out.append(out.length() == 0 ? "" : " ").append(String.format("%02X", rest > 0 ? digit | 0x80 : digit));
        } while (rest > 0);
        return out.toString();
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Canonical form (upper case, single spaces) so expected and received hex compare as strings. */
    static String normalize(String hex) {
        return hex(bytes(hex));
    }
}
