package dev.cairn.broker.auth;

import dev.cairn.broker.config.ConfigException;
import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users of a {@code password_file}, read at start and again on {@link #reload}. Readers on
 * any thread see one whole file: a snapshot with a generation that grows with every reload, so
 * that what was verified against an older file can be told apart ({@link CredentialCache}).
 */
public final class PasswordStore {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordStore.class);

    /** One parsed file and the number of the load that read it. */
    record Snapshot(PasswordFile file, long generation) {
        /**
         * Whether {@code password} is {@code user}'s. An unknown name costs what a known one does:
         * another user's hash is checked and the answer ignored, so the time taken does not tell
         * which names exist.
         */
        boolean matches(String user, byte[] password) {
            PasswordHash hash = file.get(user);
            if (hash == null) {
                PasswordHash standIn = file.anyHash();
                if (standIn != null) {
                    standIn.matches(password);
                }
                return false;
            }
            return hash.matches(password);
        }
    }

    private final Path path;
    private volatile Snapshot current;

    private PasswordStore(Path path, PasswordFile file) {
        this.path = path;
        this.current = new Snapshot(file, 1);
    }

    /**
     * Reads {@code path}.
     *
     * @throws ConfigException naming the file and the line when it cannot be read or parsed: the
     *     broker does not start with credentials it cannot check
     */
    public static PasswordStore open(Path path) {
        try {
            return new PasswordStore(path, PasswordFile.read(path));
        } catch (IOException e) {
            throw new ConfigException("cannot read password_file " + path + ": " + e);
        } catch (PasswordFile.Invalid e) {
            throw new ConfigException("password_file " + path + ", " + e.getMessage());
        }
    }

    /**
     * Reads the file again. When it cannot be read or does not parse, the users loaded before stay
     * in force and an ERROR names the file and the line; clients keep logging in as before.
     *
     * @return whether the new file was loaded
     */
    public synchronized boolean reload() {
        PasswordFile file;
        try {
            file = PasswordFile.read(path);
        } catch (IOException e) {
            LOG.error("password_file {} could not be read ({}); keeping the {} users loaded before", path, e, users());
            return false;
        } catch (PasswordFile.Invalid e) {
            LOG.error("password_file {}, {}; keeping the {} users loaded before", path, e.getMessage(), users());
            return false;
        }
        Snapshot before = current;
        current = new Snapshot(file, before.generation() + 1);
        LOG.info("password_file {} reloaded: {} users", path, file.size());
        return true;
    }

    /**
     * Whether {@code password} is {@code user}'s in the file in force (a PBKDF2 or SHA-512 hash:
     * slow on purpose, never on the core thread); any thread.
     */
    public boolean verify(String user, byte[] password) {
        return current.matches(user, password);
    }

    Snapshot current() {
        return current;
    }

    /** How many users the file in force has. */
    public int users() {
        return current.file().size();
    }

    public Path path() {
        return path;
    }
}
