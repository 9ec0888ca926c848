package dev.cairn.protocol;

/**
 * The checks and the splitting that topic names and topic filters share. Stateless.
 */
public final class TopicSyntax {

    public static final String SINGLE_LEVEL_WILDCARD = "+";
    public static final String MULTI_LEVEL_WILDCARD = "#";

    private TopicSyntax() {}

    /**
     * Whether {@code topic} contains {@code +} or {@code #}, which a Topic Name (PUBLISH, Will
     * Topic, Response Topic) must not [MQTT-3.3.2-2] [MQTT-4.7.0-1]. The one topic check that needs
     * no configuration, so the broker's codec makes it on every packet.
     */
    public static boolean hasWildcard(String topic) {
        return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
    }

    /**
     * Checks the rules every topic string obeys: at least one character, no U+0000, no lone
     * surrogate, and the configured byte length. {@code what} names the kind of string in messages.
     */
    static void checkText(String text, TopicLimits limits, String what) throws InvalidTopicException {
        if (text.isEmpty()) {
            throw new InvalidTopicException("[MQTT-4.7.3-1] a " + what + " must be at least one character long");
        }
        long lengthBytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                throw new InvalidTopicException(
                        "[MQTT-4.7.3-2] a " + what + " must not contain the null character U+0000");
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                lengthBytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                // A Java string decoded from well-formed UTF-8 never holds one; refusing it here
                // keeps the byte count below exact whoever built the string.
                throw new InvalidTopicException("[MQTT-1.5.4-1] a " + what + " must not contain an unpaired surrogate");
            } else {
                lengthBytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            }
        }
        if (lengthBytes > limits.topicLengthMaxBytes()) {
            throw InvalidTopicException.limitExceeded("a " + what + " must encode to at most "
                    + limits.topicLengthMaxBytes() + " bytes (limit topicLengthMaxBytes), not " + lengthBytes);
        }
    }

    /** Splits at every {@code /}, keeping empty levels: "/a/" has the three levels "", "a", "". */
    static String[] splitLevels(String text) {
        int levelCount = 1;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '/') {
                levelCount++;
            }
        }
        String[] levels = new String[levelCount];
        int start = 0;
        for (int level = 0; level < levelCount - 1; level++) {
            int end = text.indexOf('/', start);
            levels[level] = text.substring(start, end);
            start = end + 1;
        }
        levels[levelCount - 1] = text.substring(start);
        return levels;
    }

    static void checkLevelCount(String[] levels, TopicLimits limits, String what) throws InvalidTopicException {
        if (levels.length > limits.topicLevelsMax()) {
            throw InvalidTopicException.limitExceeded("a " + what + " must have at most " + limits.topicLevelsMax()
                    + " levels (limit topicLevelsMax), not " + levels.length);
        }
    }
}
