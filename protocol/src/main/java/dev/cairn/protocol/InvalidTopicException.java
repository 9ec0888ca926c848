package dev.cairn.protocol;

/**
 * A topic name or topic filter broke a rule of the protocol or a configured limit. The message
 * names the rule, with the spec statement id where there is one, so that the log line explains the
 * SUBACK or DISCONNECT reason code the core chooses. Checked, because every caller that parses
 * client input must decide what to answer. {@link #isLimit} tells the two kinds apart: a filter
 * over a configured limit is well formed and refused by policy (a SUBACK failure code), one that
 * breaks the protocol's syntax is a protocol violation that ends the connection.
 */
public final class InvalidTopicException extends Exception {

    private static final long serialVersionUID = 1L;

    private final boolean limit;

    /** The string breaks a rule of the protocol (wildcard placement, empty, U+0000, share name). */
    public InvalidTopicException(String message) {
        this(message, false);
    }

    private InvalidTopicException(String message, boolean limit) {
        super(message);
        this.limit = limit;
    }

    /** The string is well formed but over a configured limit (length in bytes, level count). */
    static InvalidTopicException limitExceeded(String message) {
        return new InvalidTopicException(message, true);
    }

    /** Whether a configured limit, not a protocol rule, refused the string. */
    public boolean isLimit() {
        return limit;
    }
}
