package dev.cairn.broker.reload;

/**
 * A part of the running broker that re-reads its files on a reload (SIGHUP): TLS material,
 * and later the password and ACL files. A reload must leave the part working: when a new file is
 * bad, the part keeps what it had and logs an ERROR naming the file. Called on the reloading
 * thread, never on the core thread; the part publishes its new state safely (e.g. a volatile).
 */
public interface Reloadable {
    /** For logs: what this part is, e.g. {@code TLS of listener plant}. */
    String name();

    /**
     * Re-reads the part's files; returns whether it took new material (false: it kept the old
     * after logging why at ERROR). Must not throw for a bad file.
     */
    boolean reload();
}
