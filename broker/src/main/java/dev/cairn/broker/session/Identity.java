package dev.cairn.broker.session;

/**
 * Who a session belongs to as the topic ACL judges it: the username its client connected with
 * (null: none) and the listener it connected on. Journaled with the session, so a will that goes
 * out after a restart is judged as its owner.
 */
public record Identity(String username, String listener) {

    public Identity {
        if (listener == null) {
            throw new IllegalArgumentException("an identity names its listener");
        }
    }
}
