package dev.cairn.broker;

import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigKey;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.logging.LogLevels;
import dev.cairn.broker.reload.Reloadable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reload of the configuration file (SIGHUP): reads it again, with the command line's
 * {@code --set} settings on top as at start, and applies what may change while the broker runs
 * ({@link ConfigLoader#reloads}): {@code auth_methods}, then {@code log_level}, then the limits
 * ({@link dev.cairn.broker.config.RuntimeLimits}), each changed one named in one INFO line. A file with any
 * problem is applied not at all: one ERROR names every problem. A changed key that takes a restart
 * is named in one WARN, at every reload until the restart. Runs on the reloading thread.
 */
final class ConfigReload implements Reloadable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);
    /** How long a reload waits for the core to take the new limits. */
    private static final long CORE_WAIT_MILLIS = 10_000;

    private final String source;
    private final Supplier<ConfigLoader.Loaded> read;
    private final ListenerSecurity security;
    private final Broker broker;
    /** The settings in force: those of the start, with each reloaded key as last applied. */
    private Map<String, String> running;

    private BrokerConfig runningConfig;

    /**
     * @param source what {@code read} reads, for the log (the config file)
     * @param started the settings the broker started with
     */
    ConfigReload(
            String source,
            ConfigLoader.Loaded started,
            Supplier<ConfigLoader.Loaded> read,
            ListenerSecurity security,
            Broker broker) {
        this.source = source;
        this.read = read;
        this.security = security;
        this.broker = broker;
        this.running = started.settings();
        this.runningConfig = started.config();
    }

    @Override
    public String name() {
        return "configuration of " + source;
    }

    @Override
    public synchronized boolean reload() {
        ConfigLoader.Loaded fresh;
        try {
            fresh = read.get();
        } catch (ConfigException e) {
            LOG.error(
                    "reload: {} has {}; nothing of it is applied (auth_methods, log_level and the limits keep"
                            + " their values): {}",
                    source,
                    e.problems().size() == 1 ? "a problem" : e.problems().size() + " problems",
                    String.join("; ", e.problems()));
            return false;
        }
        if (!security.reloadMethods(fresh.config())) {
            LOG.error("reload: nothing else of {} is applied either, as the auth_methods above could not be", source);
            return false;
        }
        BrokerConfig config = fresh.config();
        if (config.logLevel() != runningConfig.logLevel()) {
            applyLogLevel(config);
        }
        try {
            if (!broker.applyLimits(config, CORE_WAIT_MILLIS)) {
                LOG.error(
                        "reload: the core did not take the new limits within {} ms; they apply when it does",
                        CORE_WAIT_MILLIS);
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        runningConfig = config;
        warnOfRestartKeys(fresh.settings());
        return true;
    }

    /**
     * Sets the new level; the INFO line saying so is written under whichever of the two levels is
     * more verbose, so that it shows when either would show it.
     */
    private void applyLogLevel(BrokerConfig config) {
        String line = "reload: log_level is " + config.logLevel().configName() + " (before: "
                + runningConfig.logLevel().configName() + ")";
        boolean moreVerbose = config.logLevel().compareTo(runningConfig.logLevel()) > 0;
        if (!moreVerbose) {
            LOG.info(line);
        }
        if (!LogLevels.set(config.logLevel().slf4jLevel())) {
            LOG.warn(
                    "reload: log_level stays {}: the logging back end is not Cairn's (the system property"
                            + " slf4j.provider names another)",
                    runningConfig.logLevel().configName());
            return;
        }
        if (moreVerbose) {
            LOG.info(line);
        }
    }

    /**
     * Names, in one WARN, each key whose value in {@code fresh} differs from the one in force and
     * that only a restart applies; takes the reloaded keys' values as the ones in force.
     */
    private void warnOfRestartKeys(Map<String, String> fresh) {
        TreeSet<String> names = new TreeSet<>(running.keySet());
        names.addAll(fresh.keySet());
        List<String> notApplied = new ArrayList<>();
        List<String> applied = new ArrayList<>();
        Map<String, String> now = new TreeMap<>(running);
        for (String name : names) {
            String before = running.get(name);
            String after = fresh.get(name);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (ConfigLoader.reloads(name)) {
                if (!name.equals(ConfigKey.LOG_LEVEL.key()) && !name.endsWith(ConfigKey.AUTH_METHODS.key())) {
                    applied.add(name + " = " + (after == null ? "(unset)" : after) + " (before: "
                            + (before == null ? "unset" : before) + ")");
                }
                if (after == null) {
                    now.remove(name);
                } else {
                    now.put(name, after);
                }
            } else {
                notApplied.add(name);
            }
        }
        running = now;
        if (!applied.isEmpty()) {
            LOG.info("reload: {}", String.join(", ", applied));
        }
        if (!notApplied.isEmpty()) {
            LOG.warn(
                    "reload: {} changed in {} but {} only with a restart; the broker keeps running with the"
                            + " value{} it started with",
                    String.join(", ", notApplied),
                    source,
                    notApplied.size() == 1 ? "takes effect" : "take effect",
                    notApplied.size() == 1 ? "" : "s");
        }
    }
}
