package dev.cairn.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The certificates of a TLS or WebSocket-over-TLS run, made with the {@code openssl} command at
 * run time into a directory of the run (never committed): a CA, and a server certificate for
 * {@code localhost} and {@code 127.0.0.1} signed by it. Both brokers get the same files, so the
 * handshake costs the same work on each side. Keys are EC P-256 (ECDSA signatures, ECDHE key
 * exchange), PKCS#8, unencrypted, valid two days.
 *
 * @param caFile the CA certificate clients trust
 * @param certFile the server certificate (PEM)
 * @param keyFile the server's private key (PEM, PKCS#8)
 */
record BenchPki(Path caFile, Path certFile, Path keyFile) {
    private static final long TOOL_TIMEOUT_SECONDS = 60;

    /** Makes the CA and server files in {@code dir} (created if missing). */
    static BenchPki create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path caFile = dir.resolve("ca.pem");
        Path keyFile = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path certFile = dir.resolve("server.pem");
        Path extensions = dir.resolve("server.ext");
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", caKey.toString());
        openssl(
                dir,
                "req",
                "-x509",
                "-new",
                "-key",
                caKey.toString(),
                "-subj",
                "/CN=cairn-benchmark-ca",
                "-days",
                "2",
                "-out",
                caFile.toString());
        openssl(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", keyFile.toString());
        openssl(dir, "req", "-new", "-key", keyFile.toString(), "-subj", "/CN=localhost", "-out", csr.toString());
        Files.writeString(
                extensions,
                "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n"
                        + "subjectAltName=DNS:localhost,IP:127.0.0.1\n",
                StandardCharsets.US_ASCII);
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                csr.toString(),
                "-CA",
                caFile.toString(),
                "-CAkey",
                caKey.toString(),
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                extensions.toString(),
                "-out",
                certFile.toString());
        return new BenchPki(caFile, certFile, keyFile);
    }

    private static void openssl(Path dir, String... args) throws IOException {
        runTool(dir, "openssl", "TLS cases need it on the PATH", args);
    }

    /**
     * Runs {@code tool args} in {@code dir} and waits for it; a tool that cannot start (its
     * message says why, with {@code hint}), exits non-zero (with its output) or hangs is an error.
     */
    static void runTool(Path dir, String tool, String hint, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(Arrays.asList(args));
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run " + tool + " (" + hint + "): " + e.getMessage(), e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(tool + " " + args[0] + " did not finish in " + TOOL_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(tool + " " + args[0] + " exited with " + process.exitValue() + ": " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while " + tool + " ran", e);
        }
    }
}
