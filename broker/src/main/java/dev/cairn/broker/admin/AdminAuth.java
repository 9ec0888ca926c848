package dev.cairn.broker.admin;

import dev.cairn.broker.auth.PasswordStore;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.MonitoringConfig.AdminApiConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may use the admin API: a user of {@code admin.password_file} with HTTP Basic credentials
 * (RFC 7617), checked against the file's hashes as MQTT passwords are, or the bearer token of
 * {@code admin.token_file} (RFC 6750), compared in constant time. With neither key set nobody may:
 * the API is closed rather than open by default. The files are read at start and again on a
 * reload ({@link #reload}, SIGHUP); which files are configured changes only with a restart. Any
 * thread (the password hashes are slow on purpose: never call it on the core thread).
 */
final class AdminAuth {
    /** The shortest token accepted: a shorter one could be guessed over the network. */
    static final int TOKEN_LENGTH_MIN = 16;

    /** What a request's credentials come to. */
    enum Verdict {
        ALLOWED,
        /** No credentials: 401 with a challenge. */
        UNAUTHENTICATED,
        /** Wrong credentials: 401 with a challenge, after the failed-login delay. */
        WRONG,
        /** No credential is configured at all: 403. */
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdminAuth.class);

    private final PasswordStore users;
    private final Path tokenFile;
    /** The token's digest; a reload replaces it (never changes the array). */
    private volatile byte[] tokenDigest;

    private AdminAuth(PasswordStore users, Path tokenFile, byte[] tokenDigest) {
        this.users = users;
        this.tokenFile = tokenFile;
        this.tokenDigest = tokenDigest;
    }

    /**
     * Reads the configured files.
     *
     * @throws ConfigException naming the key and the file when one cannot be read, does not parse
     *     or holds a token shorter than {@value #TOKEN_LENGTH_MIN} characters
     */
    static AdminAuth open(AdminApiConfig config) {
        PasswordStore users = config.passwordFile() == null ? null : openUsers(config.passwordFile());
        byte[] token = config.tokenFile() == null ? null : digest(readToken(config.tokenFile()));
        return new AdminAuth(users, config.tokenFile(), token);
    }

    /**
     * Reads the password file and the token file again (SIGHUP): from the next request on, a user
     * or token removed is refused and a new one accepted. A file that cannot be read or is invalid
     * keeps what was loaded from it before, with an ERROR naming the key and the file.
     *
     * @return whether every configured file was loaded
     */
    boolean reload() {
        boolean ok = true;
        if (users != null && !users.reload()) {
            LOG.error("reload: the admin API keeps the users of admin.password_file loaded before");
            ok = false;
        }
        if (tokenFile != null) {
            try {
                tokenDigest = digest(readToken(tokenFile));
                LOG.info("reload: the admin API takes the token now in admin.token_file {}", tokenFile);
            } catch (ConfigException e) {
                LOG.error("reload: the admin API keeps the token loaded before: {}", e.getMessage());
                ok = false;
            }
        }
        return ok;
    }

    private static PasswordStore openUsers(Path file) {
        try {
            return PasswordStore.open(file);
        } catch (ConfigException e) {
            throw new ConfigException("admin.password_file: " + e.getMessage());
        }
    }

    private static byte[] readToken(Path file) {
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("admin.token_file: cannot read " + file + ": " + e);
        }
        if (token.length() < TOKEN_LENGTH_MIN || token.chars().anyMatch(c -> c <= ' ')) {
            throw new ConfigException("admin.token_file " + file + ": the token must be one line of at least "
                    + TOKEN_LENGTH_MIN + " characters without spaces (e.g. openssl rand -hex 32)");
        }
        return token.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether any credential is configured (else every request is {@link Verdict#CLOSED}). */
    boolean open() {
        return users != null || tokenDigest != null;
    }

    /** The WWW-Authenticate challenges of a 401, one per configured scheme. */
    String[] challenges() {
        if (users != null && tokenDigest != null) {
            return new String[] {"Basic realm=\"cairn-admin\", charset=\"UTF-8\"", "Bearer realm=\"cairn-admin\""};
        }
        return users != null
                ? new String[] {"Basic realm=\"cairn-admin\", charset=\"UTF-8\""}
                : new String[] {"Bearer realm=\"cairn-admin\""};
    }

    /** Judges the request's {@code Authorization} header (null when it has none). */
    Verdict check(String authorization) {
        if (!open()) {
            return Verdict.CLOSED;
        }
        if (authorization == null) {
            return Verdict.UNAUTHENTICATED;
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return Verdict.WRONG;
        }
        String scheme = authorization.substring(0, space);
        String value = authorization.substring(space + 1).strip();
        boolean ok;
        byte[] tokenDigest = this.tokenDigest;
        if (scheme.equalsIgnoreCase("Basic")) {
            ok = users != null && basic(value);
        } else if (scheme.equalsIgnoreCase("Bearer")) {
            // Digests of equal length compared with MessageDigest.isEqual: the time taken tells
            // nothing of the token, not even its length.
            ok = tokenDigest != null
                    && MessageDigest.isEqual(tokenDigest, digest(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            ok = false;
        }
        return ok ? Verdict.ALLOWED : Verdict.WRONG;
    }

    private boolean basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        return users.verify(
                decoded.substring(0, colon), decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
