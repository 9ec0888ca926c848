package dev.cairn.broker.auth;

import dev.cairn.broker.acl.AclStore;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ListenerConfig;
import dev.cairn.broker.reload.Reloadable;
import dev.cairn.broker.session.Origin;
import dev.cairn.broker.time.Clock;
import dev.cairn.protocol.ScramCredential;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each listener's authenticator, anonymous-access rule and topic ACL, as its {@link
 * dev.cairn.broker.config.ListenerAuth} says. Every distinct password file and every distinct ACL
 * file is loaded once: listeners that name the same file share one store (and one credential
 * cache), and one reload re-reads it for all of them. A connection is judged by the listener it
 * came in on ({@link dev.cairn.broker.session.Origin#listener}).
 *
 * <p>Threads: built before the core starts; the lookups from any thread (the maps never change);
 * the stores' reloads as {@link PasswordAuthenticator#reload} and {@link AclStore#reload} say.
 */
public final class ListenerSecurity {
    private final Map<String, PasswordAuthenticator> authenticators;
    private final Map<String, Authenticator> connectAuthenticators;
    private final Map<String, AclStore> acls;
    private final Map<String, Boolean> anonymousAllowed;
    private final List<Reloadable> reloadables;

    private ListenerSecurity(
            Map<String, PasswordAuthenticator> authenticators,
            Map<String, Authenticator> connectAuthenticators,
            Map<String, AclStore> acls,
            Map<String, Boolean> anonymousAllowed,
            List<Reloadable> reloadables) {
        this.authenticators = Map.copyOf(authenticators);
        this.connectAuthenticators = Map.copyOf(connectAuthenticators);
        this.acls = Map.copyOf(acls);
        this.anonymousAllowed = Map.copyOf(anonymousAllowed);
        this.reloadables = List.copyOf(reloadables);
    }

    /**
     * Loads every password file and ACL file the config's listeners name, each once.
     *
     * @throws dev.cairn.broker.config.ConfigException naming file and line when a password file
     *     cannot be read or parsed
     * @throws dev.cairn.broker.acl.AclFileException naming file and line when an ACL file cannot
     */
    public static ListenerSecurity open(BrokerConfig config, Clock clock) {
        Map<Path, PasswordAuthenticator> byPasswordFile = new LinkedHashMap<>();
        Map<Path, AclStore> byAclFile = new LinkedHashMap<>();
        Map<Path, PasswordStore> stores = new HashMap<>();
        Map<String, PasswordAuthenticator> authenticators = new HashMap<>();
        Map<String, Authenticator> connectAuthenticators = new HashMap<>();
        Map<String, AclStore> acls = new HashMap<>();
        SecureRandom random = new SecureRandom();
        Map<String, Boolean> anonymous = new HashMap<>();
        PasswordAuthenticator noFile = null;
        AclStore allowAll = AclStore.allowAll();
        for (ListenerConfig l : config.listeners()) {
            Path passwordFile = l.auth().passwordFile();
            PasswordAuthenticator authenticator;
            if (passwordFile == null) {
                if (noFile == null) {
                    noFile = new PasswordAuthenticator(null, config.auth(), clock);
                }
                authenticator = noFile;
            } else {
                Path key = passwordFile.toAbsolutePath().normalize();
                authenticator = byPasswordFile.computeIfAbsent(key, f -> {
                    PasswordStore store = PasswordStore.open(passwordFile);
                    stores.put(f, store);
                    return new PasswordAuthenticator(store, config.auth(), clock);
                });
            }
            authenticators.put(l.name(), authenticator);
            // The enhanced methods of auth_methods; the config loader checked that each is known
            // and that the listener has a password file to read their credentials from.
            Map<String, Authenticator> methods = new HashMap<>();
            for (String name : l.auth().authMethods()) {
                ScramCredential.Mechanism m = ScramCredential.Mechanism.bySaslName(name);
                PasswordStore store = stores.get(passwordFile.toAbsolutePath().normalize());
                methods.put(name, ScramAuthenticator.create(store, m, random));
            }
            connectAuthenticators.put(l.name(), new ListenerAuthenticator(authenticator, methods));
            Path aclFile = l.auth().aclFile();
            acls.put(
                    l.name(),
                    aclFile == null
                            ? allowAll
                            : byAclFile.computeIfAbsent(
                                    aclFile.toAbsolutePath().normalize(), f -> AclStore.open(aclFile)));
            anonymous.put(l.name(), l.anonymousAllowed());
        }
        // A bridge's local session (ADR 0020) reads what its configured topics say; no ACL file judges it.
        acls.put(Origin.INTERNAL_LISTENER, allowAll);
        List<Reloadable> reloadables = new ArrayList<>();
        byPasswordFile.forEach((file, a) -> reloadables.add(Reloadable.of("password file " + file, a::reload)));
        byAclFile.forEach((file, acl) -> reloadables.add(Reloadable.of("topic ACL " + file, acl::reload)));
        return new ListenerSecurity(authenticators, connectAuthenticators, acls, anonymous, reloadables);
    }

    /** The password check of {@code listener}: its password file and anonymous rule. */
    public PasswordAuthenticator authenticator(String listener) {
        return lookup(authenticators, listener);
    }

    /**
     * Who decides the CONNECTs and re-authentications of {@code listener}: the password check, and
     * the enhanced methods its {@code auth_methods} offers ({@link ListenerAuthenticator}).
     */
    public Authenticator connectAuthenticator(String listener) {
        return lookup(connectAuthenticators, listener);
    }

    /** Whether clients without a user name may connect on {@code listener}. */
    public boolean anonymousAllowed(String listener) {
        return lookup(anonymousAllowed, listener);
    }

    /** Whether a listener of this name is configured (a restored session may name one since removed). */
    public boolean hasListener(String listener) {
        return acls.containsKey(listener);
    }

    /** The topic ACL of {@code listener}. */
    public AclStore acl(String listener) {
        return lookup(acls, listener);
    }

    /** Whether some listener's ACL denies anything: then a client whose listener is unknown is refused. */
    public boolean anyAclEnforcing() {
        return acls.values().stream().anyMatch(a -> a.current().enforcing());
    }

    /** One part per distinct password file and per distinct ACL file, for the reload registry. */
    public List<Reloadable> reloadables() {
        return reloadables;
    }

    private static <T> T lookup(Map<String, T> map, String listener) {
        T value = map.get(listener);
        if (value == null) {
            throw new IllegalArgumentException("no listener named " + listener + "; there are " + map.keySet());
        }
        return value;
    }
}
