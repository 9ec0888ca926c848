package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The login of an authenticated run, made at run time into a directory of the run (never
 * committed): a password file written by mosquitto's own {@code mosquitto_passwd -c -b} (its
 * {@code $7$} PBKDF2-SHA512 format, which Cairn reads as is) holding one user, and an ACL file in
 * mosquitto's {@code acl_file} syntax granting that user read and write on the load generator's
 * topics ({@code cairn-bench/RUN/...}) and nothing else. Both brokers get the same two files.
 *
 * <p>Every generator client logs in as the one user {@link #USERNAME}: the files are made before
 * the run, when the client count (which common flags may change) is not yet known, and the
 * cost measured is per message (the ACL check on each PUBLISH and delivery), which one user or
 * many pay alike; the password is random per run.
 *
 * @param passwordFile the password file
 * @param aclFile the ACL file
 * @param password the user's password
 */
record BenchAuth(Path passwordFile, Path aclFile, String password) {
    static final String USERNAME = "bench";
    static final String MOSQUITTO_PASSWD = "mosquitto_passwd";

    /** Makes the two files in {@code dir} (created if missing). */
    static BenchAuth create(Path dir) throws IOException {
        Files.createDirectories(dir);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path passwordFile = dir.resolve("passwd");
        BenchPki.runTool(
                dir,
                MOSQUITTO_PASSWD,
                "authenticated cases need it; Debian package mosquitto",
                "-c",
                "-b",
                passwordFile.toString(),
                USERNAME,
                password);
        Path aclFile = dir.resolve("acl");
        Files.writeString(aclFile, acl(), StandardCharsets.US_ASCII);
        return new BenchAuth(passwordFile, aclFile, password);
    }

    /** The ACL: nothing for anonymous clients (no lines before {@code user}), the topics for {@link #USERNAME}. */
    static String acl() {
        return "user " + USERNAME + "\ntopic readwrite cairn-bench/#\n";
    }

    @Override
    public String toString() {
        return "BenchAuth[" + passwordFile + ", " + aclFile + ", password hidden]";
    }
}
