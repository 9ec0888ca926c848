package dev.cairn.broker.acl;

/**
 * An ACL file that cannot be used: unreadable, or a line that is not valid. The message names
 * the file and, for a bad line, its number, so an operator can go straight to it.
 */
public final class AclFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int line;

    AclFileException(String source, int line, String problem) {
        super("ACL file " + source + ", line " + line + ": " + problem);
        this.line = line;
    }

    AclFileException(String source, String problem) {
        super("ACL file " + source + ": " + problem);
        this.line = 0;
    }

    /** The 1-based number of the bad line; 0 when the file as a whole could not be read. */
    public int line() {
        return line;
    }
}
