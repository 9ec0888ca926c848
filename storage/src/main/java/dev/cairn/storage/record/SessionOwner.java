package dev.cairn.storage.record;

/**
 * Who owns a session, as far as the broker's topic ACL judges it: the username the client
 * connected with and the listener it connected on (format version 4). The client id is the
 * session's own. Journaled so that what the session does while its client is away (a delayed will,
 * a will at session expiry) is judged after a restart as it would have been before.
 *
 * @param username the username the session is judged by, {@code null} for none (anonymous)
 * @param listener the name of the listener whose ACL judges the session
 */
public record SessionOwner(String username, String listener) {

    public SessionOwner {
        Checks.text(listener, "listener");
    }
}
