package dev.cairn.broker.routing;

/**
 * A topic name or topic filter broke a rule of the protocol or a configured limit. The message
 * names the rule, with the spec statement id where there is one, so that the log line explains the
 * SUBACK or DISCONNECT reason code the core chooses. Checked, because every caller that parses
 * client input must decide what to answer.
 */
public final class InvalidTopicException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }
}
