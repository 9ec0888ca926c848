package dev.cairn.tools.journal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/** How dump shows payloads (and other binary values). */
public enum PayloadEncoding {
    UTF8,
    HEX,
    BASE64,
    NONE;

    /** The payload as text in this encoding; {@code null} for NONE. Invalid UTF-8 becomes U+FFFD. */
    public String render(byte[] payload) {
        switch (this) {
            case UTF8:
                return new String(payload, StandardCharsets.UTF_8);
            case HEX:
                return HexFormat.of().formatHex(payload);
            case BASE64:
                return Base64.getEncoder().encodeToString(payload);
            case NONE:
                return null;
            default:
                throw new IllegalStateException("unknown encoding " + this);
        }
    }
}
