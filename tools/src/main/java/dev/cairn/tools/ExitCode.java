package dev.cairn.tools;

/** The tool's exit codes; every command documents them in its {@code --help}. */
public final class ExitCode {
    /** The command did what was asked and found nothing wrong. */
    public static final int OK = 0;
    /** Problems were found (verify), or the operation failed. */
    public static final int PROBLEMS = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The data directory is locked by a running broker (or another tool). */
    public static final int LOCKED = 3;

    private ExitCode() {}

    /** An exception that escaped a command: a locked directory is 3, anything else 1. */
    static int forException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof dev.cairn.storage.DataDirectoryInUseException) {
                return LOCKED;
            }
        }
        return PROBLEMS;
    }
}
