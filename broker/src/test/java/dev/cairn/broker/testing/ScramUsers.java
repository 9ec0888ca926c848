package dev.cairn.broker.testing;

import dev.cairn.protocol.PasswordFile;
import dev.cairn.protocol.PasswordHash;
import dev.cairn.protocol.ScramCredential;
import java.security.SecureRandom;

/** Password-file users for SCRAM tests, enrolled as {@code cairn-tools passwd [--scram]} does, with cheap iteration counts. */
public final class ScramUsers {
    private ScramUsers() {}

    /** {@code file} with {@code user}'s entry (1000 PBKDF2 iterations) and SCRAM lines (4096) for {@code mechanisms}. */
    public static PasswordFile with(
            PasswordFile file, String user, String password, ScramCredential.Mechanism... mechanisms) {
        SecureRandom random = new SecureRandom();
        PasswordHash entry = PasswordHash.pbkdf2(password.toCharArray(), 1000, random);
        PasswordFile out = file.with(user, entry);
        for (ScramCredential.Mechanism m : mechanisms) {
            out = out.withScram(user, ScramCredential.derive(m, password.toCharArray(), 4096, entry, random));
        }
        return out;
    }
}
