package dev.cairn.broker.reload;

/**
 * A part of the running broker that re-reads its files on a reload (SIGHUP): TLS material,
 * the password file and the topic ACL file. A reload must leave the part working: when a new file is
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

    /** A part named {@code name} whose reload is {@code reload}. */
    static Reloadable of(String name, java.util.function.BooleanSupplier reload) {
        return new Reloadable() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean reload() {
                return reload.getAsBoolean();
            }
        };
    }
}
