package dev.cairn.broker.auth;

import dev.cairn.broker.acl.AclStore;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigException;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each listener's authenticator, anonymous-access rule and topic ACL, as its {@link
 * dev.cairn.broker.config.ListenerAuth} says. Every distinct password file and every distinct ACL
 * file is loaded once: listeners that name the same file share one store (and one credential
 * cache), and one reload re-reads it for all of them. A connection is judged by the listener it
 * came in on ({@link dev.cairn.broker.session.Origin#listener}).
 *
 * <p>A reload of the config file ({@link #authMethodsReloadable}) changes the enhanced methods
 * each listener offers; the listeners, their password and ACL files and anonymous rules stay as
 * they started.
 *
 * <p>Threads: built before the core starts; the lookups from any thread (the maps never change);
 * the stores' reloads as {@link PasswordAuthenticator#reload} and {@link AclStore#reload} say, the
 * methods' as {@link ListenerAuthenticator#offer}.
 */
public final class ListenerSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerSecurity.class);

    private final Map<String, PasswordAuthenticator> authenticators;
    private final Map<String, ListenerAuthenticator> connectAuthenticators;
    /** Each listener's password file, whose SCRAM lines its methods read; absent: none. */
    private final Map<String, PasswordStore> passwordStores;

    private final Map<String, AclStore> acls;
    private final Map<String, Boolean> anonymousAllowed;
    private final List<Reloadable> reloadables;
    private final SecureRandom random;

    private ListenerSecurity(
            Map<String, PasswordAuthenticator> authenticators,
            Map<String, ListenerAuthenticator> connectAuthenticators,
            Map<String, PasswordStore> passwordStores,
            Map<String, AclStore> acls,
            Map<String, Boolean> anonymousAllowed,
            List<Reloadable> reloadables,
            SecureRandom random) {
        this.authenticators = Map.copyOf(authenticators);
        this.connectAuthenticators = Map.copyOf(connectAuthenticators);
        this.passwordStores = Map.copyOf(passwordStores);
        this.acls = Map.copyOf(acls);
        this.anonymousAllowed = Map.copyOf(anonymousAllowed);
        this.reloadables = List.copyOf(reloadables);
        this.random = random;
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
        Map<String, ListenerAuthenticator> connectAuthenticators = new HashMap<>();
        Map<String, PasswordStore> passwordStores = new HashMap<>();
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
            PasswordStore store = passwordFile == null
                    ? null
                    : stores.get(passwordFile.toAbsolutePath().normalize());
            if (store != null) {
                passwordStores.put(l.name(), store);
            }
            // The config loader checked that each method is known and that the listener has a
            // password file to read their credentials from.
            connectAuthenticators.put(
                    l.name(),
                    new ListenerAuthenticator(authenticator, methods(l.auth().authMethods(), store, random)));
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
        return new ListenerSecurity(
                authenticators, connectAuthenticators, passwordStores, acls, anonymous, reloadables, random);
    }

    /** The enhanced methods {@code names} (of auth_methods), with their credentials in {@code store}. */
    private static Map<String, Authenticator> methods(List<String> names, PasswordStore store, SecureRandom random) {
        Map<String, Authenticator> methods = new HashMap<>();
        for (String name : names) {
            ScramCredential.Mechanism m = ScramCredential.Mechanism.bySaslName(name);
            methods.put(name, ScramAuthenticator.create(store, m, random));
        }
        return methods;
    }

    /**
     * The reload of {@code auth_methods}: reads the configuration again from {@code config} (the
     * config file with the command line's settings, as at start) and has each listener offer the
     * methods it names now ({@link #reloadMethods}). A configuration that cannot be read or has a
     * problem keeps every listener's methods and logs an ERROR naming each problem.
     *
     * @param source what {@code config} reads, for the log (the config file)
     */
    public Reloadable authMethodsReloadable(String source, Supplier<BrokerConfig> config) {
        return Reloadable.of("auth_methods of " + source, () -> {
            BrokerConfig fresh;
            try {
                fresh = config.get();
            } catch (ConfigException e) {
                LOG.error(
                        "reload: every listener keeps its auth_methods: {} has {}: {}",
                        source,
                        e.problems().size() == 1 ? "a problem" : e.problems().size() + " problems",
                        String.join("; ", e.problems()));
                return false;
            }
            return reloadMethods(fresh);
        });
    }

    /**
     * Has each running listener offer the enhanced methods {@code fresh} names for it, all or
     * none: a listener that would offer a method without a password file (the one it started
     * with; password_file takes a restart) keeps every listener's methods, with an ERROR. A
     * listener {@code fresh} no longer names, or one it adds, takes a restart: logged at WARN,
     * the others still reload. Connections keep the method they logged in with; their next
     * re-authentication is judged by what the listener offers then.
     *
     * @return whether the methods are now those of {@code fresh} (false: kept, ERROR logged)
     */
    public boolean reloadMethods(BrokerConfig fresh) {
        Map<String, ListenerConfig> named = new LinkedHashMap<>();
        fresh.listeners().forEach(l -> named.put(l.name(), l));
        Map<String, List<String>> changed = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, ListenerAuthenticator> e : new TreeMap<>(connectAuthenticators).entrySet()) {
            String listener = e.getKey();
            ListenerConfig l = named.remove(listener);
            if (l == null) {
                LOG.warn(
                        "reload: listener {} is no longer in the configuration; listeners change only with a"
                                + " restart, so it runs on and keeps auth_methods {}",
                        listener,
                        new TreeSet<>(e.getValue().methods()));
                continue;
            }
            List<String> names = l.auth().authMethods();
            if (Set.copyOf(names).equals(e.getValue().methods())) {
                continue;
            }
            if (!names.isEmpty() && !passwordStores.containsKey(listener)) {
                problems.add("listener " + listener + ": auth_methods = " + String.join(",", names)
                        + " needs a password file, and the listener started without one (password_file"
                        + " changes only with a restart)");
                continue;
            }
            changed.put(listener, names);
        }
        named.keySet()
                .forEach(listener -> LOG.warn(
                        "reload: listener {} is new in the configuration; adding a listener takes a restart",
                        listener));
        if (!problems.isEmpty()) {
            problems.forEach(problem -> LOG.error("reload: every listener keeps its auth_methods: {}", problem));
            return false;
        }
        changed.forEach((listener, names) -> {
            ListenerAuthenticator authenticator = connectAuthenticators.get(listener);
            Set<String> before = new TreeSet<>(authenticator.methods());
            authenticator.offer(methods(names, passwordStores.get(listener), random));
            LOG.info(
                    "reload: listener {} offers auth_methods {} (before: {})",
                    listener,
                    names.isEmpty() ? "none" : String.join(",", names),
                    before.isEmpty() ? "none" : String.join(",", before));
        });
        return true;
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
