package dev.cairn.tools.passwd;

import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.protocol.ScramCredential;
import dev.cairn.tools.ExitCode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code passwd}: adds, changes and deletes users of a password file in mosquitto's format, which
 * both Cairn ({@code password_file}) and mosquitto read. New entries are PBKDF2-HMAC-SHA512 with
 * a fresh random salt and the iteration count in the entry ({@code $7$}). The file is replaced
 * atomically (a temporary file in the same directory, synced, then renamed over it), so a broker
 * reloading it sees the old file or the new one, never half of one; a new file gets mode 0600,
 * an existing one keeps its mode. No password is ever printed.
 *
 * <p>With {@code --scram} the user also gets SCRAM-SHA-256 and SCRAM-SHA-512 credentials, for
 * MQTT 5 enhanced authentication ({@code auth_methods}): {@code #scram-sha-…} lines after the
 * entry, bound to it (docs/decisions/0017-scram-credentials.md). Changing a password without
 * {@code --scram} removes the user's SCRAM lines, which belonged to the old password.
 */
@Command(
        name = "passwd",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Add or change a user's password in a password file (mosquitto's format, read by Cairn's"
                    + " password_file and by mosquitto), or delete a user. The password is read from the"
                    + " terminal without echo (twice), from standard input when it is not a terminal (the"
                    + " first line; a second line, if any, must repeat it), or with -b from the command line."
        })
public final class PasswdCommand implements Callable<Integer> {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    @Option(names = "-c", description = "Create the file, replacing any file already there (its users are lost).")
    boolean create;

    @Option(
            names = "-b",
            description = "Batch mode: the password is the argument after USER (it shows in the process list"
                    + " and the shell history; prefer standard input in scripts).")
    boolean batch;

    @Option(names = "-D", description = "Delete USER from the file.")
    boolean delete;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            description = "PBKDF2 iterations of the new entry (default: ${DEFAULT-VALUE}; see"
                    + " docs/decisions/0016-password-hash-cost.md).")
    int iterations = PasswordHash.DEFAULT_ITERATIONS;

    @Option(
            names = "--scram",
            description = "Also store SCRAM-SHA-256 and SCRAM-SHA-512 credentials of the password, for clients"
                    + " that log in with MQTT 5 enhanced authentication (auth_methods).")
    boolean scram;

    @Option(
            names = "--scram-iterations",
            paramLabel = "N",
            description = "Iterations of the SCRAM credentials (default: ${DEFAULT-VALUE}, RFC 7677's minimum). The"
                    + " client computes them at every login; a stolen file is as cheap to attack as its cheapest"
                    + " entry.")
    int scramIterations = ScramCredential.DEFAULT_ITERATIONS;

    @Parameters(index = "0", paramLabel = "FILE", description = "The password file.")
    Path file;

    @Parameters(index = "1", paramLabel = "USER", description = "The user name.")
    String user;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PASSWORD", description = "The password, with -b only.")
    String batchPassword;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        checkUsage();
        PrintWriter out = spec.commandLine().getOut();
        PasswordFile current = create ? PasswordFile.empty() : existing();
        if (delete) {
            if (current.get(user) == null) {
                throw new IllegalArgumentException("user '" + user + "' is not in " + file);
            }
            write(current.without(user));
            out.println("deleted user '" + user + "' from " + file);
            return ExitCode.OK;
        }
        char[] password = batch ? batchPassword.toCharArray() : readPassword();
        try {
            boolean known = current.get(user) != null;
            SecureRandom random = new SecureRandom();
            PasswordHash hash = PasswordHash.pbkdf2(password, iterations, random);
            PasswordFile updated = current.with(user, hash);
            if (scram) {
                for (ScramCredential.Mechanism m : ScramCredential.Mechanism.values()) {
                    updated =
                            updated.withScram(user, ScramCredential.derive(m, password, scramIterations, hash, random));
                }
            }
            write(updated);
            out.println((known ? "changed the password of user '" : "added user '") + user + "' to " + file
                    + (scram ? ", with SCRAM-SHA-256 and SCRAM-SHA-512 credentials" : ""));
            boolean hadScram = known
                    && (current.scram(user, ScramCredential.Mechanism.SCRAM_SHA_256) != null
                            || current.scram(user, ScramCredential.Mechanism.SCRAM_SHA_512) != null);
            if (hadScram && !scram) {
                out.println("removed the SCRAM credentials of the old password (--scram writes new ones)");
            }
        } finally {
            Arrays.fill(password, '\0');
        }
        return ExitCode.OK;
    }

    private void checkUsage() {
        CommandLine cli = spec.commandLine();
        if (delete && (create || batch || scram)) {
            throw new CommandLine.ParameterException(cli, "-D cannot be combined with -c, -b or --scram");
        }
        if (scramIterations < 1 || scramIterations > PasswordHash.ITERATIONS_MAX) {
            throw new CommandLine.ParameterException(
                    cli, "--scram-iterations must be between 1 and " + PasswordHash.ITERATIONS_MAX);
        }
        if (batch != (batchPassword != null)) {
            throw new CommandLine.ParameterException(
                    cli, batch ? "-b needs the password after USER" : "a password argument needs -b");
        }
        if (iterations < 1 || iterations > PasswordHash.ITERATIONS_MAX) {
            throw new CommandLine.ParameterException(
                    cli, "--iterations must be between 1 and " + PasswordHash.ITERATIONS_MAX);
        }
        try {
            PasswordFile.checkUserName(user);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }

    private PasswordFile existing() throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + " does not exist (-c creates it)");
        }
        try {
            return PasswordFile.read(file);
        } catch (PasswordFile.Invalid e) {
            throw new IllegalArgumentException(file + ", " + e.getMessage() + "; the file was not changed");
        }
    }

    /** The password from the terminal (twice, no echo) or from standard input. */
    private char[] readPassword() throws IOException {
        Console console = System.console();
        char[] first;
        char[] second;
        if (console != null) {
            first = console.readPassword("Password: ");
            second = console.readPassword("Reenter password: ");
        } else {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            first = toChars(in.readLine());
            second = toChars(in.readLine());
        }
        if (first == null || first.length == 0) {
            throw new IllegalArgumentException("no password given");
        }
        if (second != null && !Arrays.equals(first, second)) {
            Arrays.fill(first, '\0');
            throw new IllegalArgumentException("the passwords do not match; the file was not changed");
        }
        if (second != null) {
            Arrays.fill(second, '\0');
        }
        return first;
    }

    private static char[] toChars(String line) {
        return line == null ? null : line.toCharArray();
    }

    /** Replaces the file atomically with {@code content}; a new file is 0600, an existing one keeps its mode. */
    private void write(PasswordFile content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        Set<PosixFilePermission> mode =
                posix && Files.exists(target) ? Files.getPosixFilePermissions(target) : OWNER_ONLY;
        Path temp = posix
                ? Files.createTempFile(
                        dir, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            try (FileChannel ch =
                    FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(StandardCharsets.UTF_8.encode(content.text()));
                ch.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(temp, mode);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
