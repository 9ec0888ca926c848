package dev.cairn.broker.admin;

import java.util.function.BooleanSupplier;

/**
 * Whether the broker is alive and ready, as {@code /health/live} and {@code /health/ready} answer.
 * Ready only from the moment recovery has finished and every listener is bound until the broker
 * begins to stop; live while the process runs, unless the core thread has died or stopped after
 * it started. The composition root moves the stage; any thread may read it.
 */
public final class Health {
    /** Where the broker is in its life, in order. */
    public enum Stage {
        /** Opening the data directory: the journal is being recovered and the index rebuilt. */
        RECOVERING("recovering the journal"),
        /** Recovered; the core loads the state and the listeners bind. */
        STARTING("starting the listeners"),
        /** Serving on every listener. */
        READY("ready"),
        /** Stopping: the listeners no longer accept. */
        STOPPING("stopping");

        private final String description;

        Stage(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private volatile Stage stage = Stage.RECOVERING;
    private volatile BooleanSupplier coreAlive;
    private volatile boolean failed;

    public Stage stage() {
        return stage;
    }

    /** Moves to {@code next}; a stage is never left for an earlier one. */
    public void enter(Stage next) {
        if (next.ordinal() > stage.ordinal()) {
            stage = next;
        }
    }

    /** From now on, liveness also requires {@code alive} (the core thread's). */
    public void watchCore(BooleanSupplier alive) {
        this.coreAlive = alive;
    }

    /** A thread the broker cannot run without died: not live from now on, whatever the stage. */
    public void failed() {
        failed = true;
    }

    public boolean ready() {
        return stage == Stage.READY && live();
    }

    /**
     * False once a thread the broker needs has failed, or the watched core thread is gone other
     * than by a clean stop; before the core is watched, true: the process runs.
     */
    public boolean live() {
        BooleanSupplier core = coreAlive;
        return !failed && (core == null || stage == Stage.STOPPING || core.getAsBoolean());
    }
}
