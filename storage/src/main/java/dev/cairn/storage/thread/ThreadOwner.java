package dev.cairn.storage.thread;

/**
 * The owner thread of a single-owner object (the journal's appends and syncs, the index's
 * applies): the first thread that uses it, until {@link #release()} hands it on. The one check
 * that the caller is the owner, written {@code assert owner.check();} so that it costs nothing
 * without {@code -ea} (tests always run with it). Used by the owner thread only, and so a plain
 * field: a use from another thread is exactly what the assertion is there to catch.
 */
public final class ThreadOwner {
    private final String owned;
    private Thread owner;

    /** @param owned what is owned, for the assertion's message ("journal", "index") */
    public ThreadOwner(String owned) {
        this.owned = owned;
    }

    /**
     * Makes the calling thread the owner if there is none, and asserts that it is the owner.
     * Returns true, to be called inside an {@code assert}.
     */
    public boolean check() {
        Thread current = Thread.currentThread();
        if (owner == null) {
            owner = current;
        }
        assert owner == current : owned + " owned by " + owner.getName() + ", used from " + current.getName();
        return true;
    }

    /** Hands ownership on: the next thread that {@link #check}s becomes the owner. */
    public void release() {
        owner = null;
    }
}
