package dev.cairn.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A password file in mosquitto's format: one {@code user:hash} line per user ({@link
 * PasswordHash} for the hashes), blank lines and lines starting with {@code #} ignored. The user
 * name is everything before the first {@code :} and must not be empty. The same file serves
 * mosquitto and Cairn: the broker reads it, {@code cairn-tools passwd} edits it, keeping every
 * other line as it was.
 *
 * <p>Lines starting with {@code #scram-sha-256:} or {@code #scram-sha-512:} hold a user's SCRAM
 * credentials ({@link ScramCredential}): comments to mosquitto, which ignores them and whose
 * mosquitto_passwd keeps them. They count only while they are bound to the user's entry in force
 * ({@link #scram}). Immutable; any thread.
 */
public final class PasswordFile {
    private final List<String> lines;
    private final Map<String, PasswordHash> users;
    private final Map<String, Map<ScramCredential.Mechanism, ScramCredential>> scram;

    private PasswordFile(
            List<String> lines,
            Map<String, PasswordHash> users,
            Map<String, Map<ScramCredential.Mechanism, ScramCredential>> scram) {
        this.lines = List.copyOf(lines);
        this.users = Map.copyOf(users);
        this.scram = Map.copyOf(scram);
    }

    /** A file with no users. */
    public static PasswordFile empty() {
        return new PasswordFile(List.of(), Map.of(), Map.of());
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws IOException when it cannot be read
     * @throws Invalid naming the line that does not parse
     */
    public static PasswordFile read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Parses the lines of a file; {@link Invalid} names the first bad line (1-based). */
    public static PasswordFile parse(List<String> lines) {
        Map<String, PasswordHash> users = new HashMap<>();
        Map<String, Map<ScramCredential.Mechanism, ScramCredential>> scram = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripCr(lines.get(i));
            ScramCredential.Mechanism mechanism = ScramCredential.lineMechanism(line);
            if (mechanism != null) {
                String user = ScramCredential.lineUser(line, mechanism);
                ScramCredential credential;
                try {
                    credential = ScramCredential.parseLine(line, mechanism);
                } catch (IllegalArgumentException e) {
                    throw new Invalid(i + 1, "user '" + user + "': " + e.getMessage());
                }
                Map<ScramCredential.Mechanism, ScramCredential> ofUser =
                        scram.computeIfAbsent(user, u -> new EnumMap<>(ScramCredential.Mechanism.class));
                if (ofUser.put(mechanism, credential) != null) {
                    throw new Invalid(i + 1, "user '" + user + "' has two " + mechanism.saslName() + " entries");
                }
                continue;
            }
            if (isIgnored(line)) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Invalid(i + 1, "expected user:hash");
            }
            String user = line.substring(0, colon);
            PasswordHash hash;
            try {
                hash = PasswordHash.parse(line.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new Invalid(i + 1, "user '" + user + "': " + e.getMessage());
            }
            if (users.put(user, hash) != null) {
                throw new Invalid(i + 1, "user '" + user + "' appears twice");
            }
        }
        return new PasswordFile(lines, users, scram);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static boolean isIgnored(String line) {
        return line.isBlank() || line.startsWith("#");
    }

    /** The stored hash of {@code user}, or null if the file has no such user. */
    public PasswordHash get(String user) {
        return users.get(user);
    }

    /** Some user's hash, or null for a file without users: a stand-in that costs what a real check does. */
    public PasswordHash anyHash() {
        return users.isEmpty() ? null : users.values().iterator().next();
    }

    /**
     * The SCRAM credential of {@code user} for {@code mechanism}, or null when the file has none
     * that counts: none written, the user has no password entry, or the entry was bound to a
     * password entry since replaced ({@link ScramCredential#boundTo}).
     */
    public ScramCredential scram(String user, ScramCredential.Mechanism mechanism) {
        PasswordHash hash = users.get(user);
        Map<ScramCredential.Mechanism, ScramCredential> ofUser = scram.get(user);
        ScramCredential c = ofUser == null ? null : ofUser.get(mechanism);
        return hash == null || c == null || !c.boundTo(hash) ? null : c;
    }

    public int size() {
        return users.size();
    }

    /** A copy where {@code user} has {@code hash}: its line replaced in place, or appended. */
    public PasswordFile with(String user, PasswordHash hash) {
        checkUserName(user);
        List<String> out = new ArrayList<>(lines.size() + 1);
        String entry = user + ":" + hash.encoded();
        boolean replaced = false;
        for (String line : lines) {
            if (isLineOf(line, user)) {
                out.add(entry);
                replaced = true;
            } else if (!isScramLineOf(line, user)) { // They belong to the password replaced.
                out.add(line);
            }
        }
        if (!replaced) {
            out.add(entry);
        }
        return parse(out);
    }

    /** A copy without {@code user}'s line; the same file if there is none. */
    public PasswordFile without(String user) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (!isLineOf(line, user) && !isScramLineOf(line, user)) {
                out.add(line);
            }
        }
        return parse(out);
    }

    /**
     * A copy where {@code user}, who must have a password entry, has {@code credential}: its
     * line for that mechanism replaced in place, or added after the user's entry (and its
     * other SCRAM lines).
     */
    public PasswordFile withScram(String user, ScramCredential credential) {
        if (users.get(user) == null) {
            throw new IllegalArgumentException("user '" + user + "' has no password entry");
        }
        ScramCredential.Mechanism m = credential.mechanism();
        String entry = credential.encoded(user);
        List<String> out = new ArrayList<>(lines.size() + 1);
        boolean replaced = false;
        for (String line : lines) {
            if (ScramCredential.lineMechanism(line) == m
                    && ScramCredential.lineUser(line, m).equals(user)) {
                out.add(entry);
                replaced = true;
            } else {
                out.add(line);
            }
        }
        if (!replaced) {
            int last = -1; // After the user's entry and the SCRAM lines it has already.
            for (int i = 0; i < out.size(); i++) {
                if (isLineOf(out.get(i), user) || isScramLineOf(out.get(i), user)) {
                    last = i;
                }
            }
            out.add(last + 1, entry);
        }
        return parse(out);
    }

    private static boolean isLineOf(String line, String user) {
        return !isIgnored(line) && line.startsWith(user + ":");
    }

    private static boolean isScramLineOf(String line, String user) {
        ScramCredential.Mechanism m = ScramCredential.lineMechanism(line);
        return m != null && ScramCredential.lineUser(line, m).equals(user);
    }

    /**
     * Checks a user name for a new entry: not empty, no {@code :} (it ends the name), no line
     * break or other control character, which would split or hide the line.
     */
    public static void checkUserName(String user) {
        if (user.isEmpty()) {
            throw new IllegalArgumentException("the user name is empty");
        }
        for (int i = 0; i < user.length(); i++) {
            char ch = user.charAt(i);
            if (ch == ':' || Character.isISOControl(ch)) {
                throw new IllegalArgumentException("a user name must not contain ':' or control characters");
            }
        }
        if (user.startsWith("#")) {
            throw new IllegalArgumentException("a user name must not start with '#' (a comment line)");
        }
    }

    /** The file's text: every line, each ended by a newline. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /** A line of a password file that does not parse. */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final int line;

        public Invalid(int line, String message) {
            super("line " + line + ": " + message);
            this.line = line;
        }

        /** The 1-based number of the bad line. */
        public int line() {
            return line;
        }
    }
}
