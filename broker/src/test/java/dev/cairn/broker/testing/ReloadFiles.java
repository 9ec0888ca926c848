package dev.cairn.broker.testing;

import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;

/** Files a reload (SIGHUP) test changes under a running broker, the way an operator should. */
public final class ReloadFiles {
    private ReloadFiles() {}

    /** Writes the new content beside {@code file} and renames it over, so a reload never reads half a file. */
    public static void replace(Path file, String content) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(next, content, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A password file with one user (a cheap PBKDF2 hash: tests need no real cost). */
    public static String passwordFile(String user, String password) {
        return PasswordFile.empty()
                .with(user, PasswordHash.pbkdf2(password.toCharArray(), 1_000, new SecureRandom()))
                .text();
    }
}
