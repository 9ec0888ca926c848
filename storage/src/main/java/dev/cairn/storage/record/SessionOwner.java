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

    /**
     * Writes {@code owner} ({@code null}: not known) as it ends a version 4 {@code SessionOpened}
     * body and an index session value: {@code bool ownerKnown}, then if known {@code string
     * listener, bool hasUsername} and, if it has one, {@code string username}.
     */
    public static void write(SessionOwner owner, BinaryWriter w) {
        w.bool(owner != null);
        if (owner != null) {
            w.string(owner.listener()).bool(owner.username() != null);
            if (owner.username() != null) {
                w.string(owner.username());
            }
        }
    }

    /** Reads what {@link #write} wrote; {@code null} for an owner not known. */
    public static SessionOwner read(BinaryReader r) {
        if (!r.bool()) {
            return null;
        }
        String listener = r.string();
        return new SessionOwner(r.bool() ? r.string() : null, listener);
    }
}
