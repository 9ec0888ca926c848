package dev.cairn.tools.journal;

import java.util.Locale;

/**
 * A minimal JSON object writer for the tools' line-oriented output (one object per line). Only
 * what dump and stats need: strings, numbers, booleans, nested raw values. Confined to one thread.
 */
public final class Json {
    private final StringBuilder out = new StringBuilder(128).append('{');
    private boolean first = true;

    public Json field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    public Json field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    public Json field(String name, boolean value) {
        key(name);
        out.append(value);
        return this;
    }

    /** A value that is already JSON (an array or object built by the caller). */
    public Json raw(String name, String json) {
        key(name);
        out.append(json);
        return this;
    }

    private void key(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        quote(name);
        out.append(':');
    }

    private void quote(String value) {
        out.append(quoted(value));
    }

    public static String quoted(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public String toString() {
        return out + "}";
    }
}
