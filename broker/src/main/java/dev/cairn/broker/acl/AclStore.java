package dev.cairn.broker.acl;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic ACL in force and where it came from. {@link #open} loads the {@code acl_file} at start
 * (a bad file is an {@link AclFileException}: the broker refuses to start); {@link #reload}
 * re-reads it while the broker runs and keeps the old rules when the new file does not parse.
 *
 * <p>Threads: {@link #current} may be called from any thread (the core calls it for every check,
 * a volatile read); {@link #reload} from any thread too (the signal handler's): it reads and
 * compiles off the core thread and swaps the compiled rules in one write, so a check sees either
 * the old rules or the new ones, never a mix, and the new ones apply from the next check on.
 */
public final class AclStore {
    private static final Logger LOG = LoggerFactory.getLogger(AclStore.class);

    private final Path file;
    private volatile TopicAcl current;

    private AclStore(Path file, TopicAcl initial) {
        this.file = file;
        this.current = initial;
    }

    /** A store that allows everything and has no file to reload (no {@code acl_file} set). */
    public static AclStore allowAll() {
        return new AclStore(null, TopicAcl.ALLOW_ALL);
    }

    /**
     * Loads {@code file}, or allows everything when it is null.
     *
     * @throws AclFileException when the file cannot be read or a line is invalid
     */
    public static AclStore open(Path file) {
        if (file == null) {
            return allowAll();
        }
        TopicAcl acl = TopicAcl.compile(AclFile.read(file));
        LOG.info("topic ACL: {} rules from {}", acl.ruleCount(), file);
        return new AclStore(file, acl);
    }

    /** The rules in force now. */
    public TopicAcl current() {
        return current;
    }

    /** The ACL file, or null when none is set. */
    public Path file() {
        return file;
    }

    /**
     * Re-reads the ACL file. On success the new rules are in force for every later check (live
     * connections included: their next SUBSCRIBE, PUBLISH and delivery) and this returns true. On
     * failure it logs an ERROR naming the file and the line, keeps the rules in force, and returns
     * false. Without an ACL file it does nothing and returns true.
     */
    public boolean reload() {
        if (file == null) {
            return true;
        }
        TopicAcl fresh;
        try {
            fresh = TopicAcl.compile(AclFile.read(file));
        } catch (AclFileException e) {
            LOG.error("{}; keeping the {} rules loaded before", e.getMessage(), current.ruleCount());
            return false;
        }
        current = fresh;
        LOG.info("topic ACL reloaded: {} rules from {}", fresh.ruleCount(), file);
        return true;
    }
}
