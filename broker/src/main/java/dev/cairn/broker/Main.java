package dev.cairn.broker;

import dev.cairn.broker.acl.AclFileException;
import dev.cairn.broker.auth.ListenerSecurity;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.CommandLine;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.config.JvmSettings;
import dev.cairn.broker.config.LogLevel;
import dev.cairn.broker.logging.LogLevels;
import dev.cairn.broker.time.Clock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar cairn-broker.jar [--config FILE] [--bind ADDR] [--port N] [--data-dir DIR]
 * [--set key=value]... [--check-config FILE] [--help] [--version]} (see {@link CommandLine}). Exit
 * codes: 0 after a clean shutdown (SIGTERM/SIGINT), after --help and --version, and after
 * --check-config of a config without problems; 2 for bad arguments or config (an unreadable or
 * invalid acl_file included; --check-config lists every problem), 1 when
 * the broker cannot start, {@value #EXIT_THREAD_DIED} when a thread it cannot run without died
 * while it ran (the core loop, a Netty I/O thread, or any thread with an uncaught throwable):
 * logged at ERROR with the cause, listeners closed, then the process ends so a supervisor
 * restarts it, rather than a process that holds its port and answers nothing.
 */
public final class Main {
    /** Exit status after a thread died (EX_SOFTWARE of sysexits.h: an internal software error). */
    static final int EXIT_THREAD_DIED = 70;
    /** How long the orderly stop after a thread died may take before the process halts anyway. */
    private static final long FAILURE_STOP_MILLIS_MAX = 15_000;

    /** The status the shutdown hook ends the JVM with: 0 unless start failed. */
    private static volatile int exitStatus;

    private Main() {}

    public static void main(String[] args) {
        JvmSettings.apply(); // Before the first logger or Chronicle class is created.
        Logger log = LoggerFactory.getLogger(Main.class);
        BrokerConfig config;
        ConfigLoader.Loaded settings;
        ListenerSecurity security;
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
            if (cli.helpRequested()) {
                System.out.print(CommandLine.usage());
                return;
            }
            if (cli.versionRequested()) {
                System.out.println(CommandLine.version());
                return;
            }
            if (cli.checkConfigFile() != null) {
                System.exit(checkConfig(cli));
                return;
            }
            settings = cli.toSettings();
            config = settings.config();
            Broker.checkListeners(config);
            security = ListenerSecurity.open(config, Clock.SYSTEM);
        } catch (ConfigException e) {
            e.problems().forEach(problem -> System.err.println("cairn: " + problem));
            System.err.println(CommandLine.shortUsage());
            System.exit(2);
            return;
        } catch (AclFileException e) {
            // A broker must not start with rules other than the ones the operator wrote.
            System.err.println("cairn: " + e.getMessage() + " (acl_file)");
            System.exit(2);
            return;
        }
        if (!LogLevels.set(config.logLevel().slf4jLevel()) && config.logLevel() != LogLevel.INFO) {
            log.warn(
                    "log_level {} is not applied: the logging back end is not Cairn's (the system property"
                            + " slf4j.provider names another)",
                    config.logLevel().configName());
        }
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            log.error("thread {} died of an uncaught throwable; the broker stops", thread.getName(), e);
            exitAfterFailure();
        });
        Broker broker;
        try {
            broker = new Broker(config, security);
        } catch (ConfigException e) {
            System.err.println("cairn: " + e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            log.error("cannot open the data directory {}: {}", config.dataDir(), e.getMessage());
            System.exit(1);
            return;
        }
        broker.onFailure(cause -> exitAfterFailure());
        // After the TLS material and the password and ACL files: a method reloaded reads the
        // password file as just reloaded.
        broker.reloads()
                .register(new ConfigReload(
                        cli.configFile() == null
                                ? "the command line"
                                : cli.configFile().toString(),
                        settings,
                        cli::toSettings,
                        security,
                        broker));
        reloadOnHangUp(broker, log);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.close();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                            // The JVM's own exit status after SIGTERM is 143 even when the hooks finish; the
                            // store is closed by now, so end here with the 0 that a clean shutdown promises.
                            Runtime.getRuntime().halt(exitStatus);
                        },
                        "cairn-shutdown"));
        try {
            broker.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage(), e);
            exitStatus = 1;
            System.exit(1);
        }
    }

    /**
     * {@code --check-config FILE}: every check the broker makes before it opens its data directory
     * (each key, the listeners as a whole, the TLS material, the password and ACL files), with
     * every problem printed to stderr, one per line, each naming its key or file. Nothing listens
     * and no data directory is opened. The TLS material and the password and ACL files are read
     * only when the keys themselves are fine, and each of those reports its first problem.
     *
     * @return the exit status: 0 when the broker would accept the config, 2 when not
     */
    static int checkConfig(CommandLine cli) {
        List<String> problems = new ArrayList<>();
        try {
            BrokerConfig config = cli.toConfig();
            try {
                Broker.checkListeners(config);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
            ListenerSecurity.open(config, Clock.SYSTEM);
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        } catch (AclFileException e) {
            problems.add(e.getMessage() + " (acl_file)");
        }
        Path file = cli.checkConfigFile();
        if (problems.isEmpty()) {
            System.out.println(file + ": configuration OK");
            return 0;
        }
        problems.forEach(problem -> System.err.println("cairn: " + problem));
        System.err.println(
                "cairn: " + file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems"));
        return 2;
    }

    /**
     * SIGHUP reloads ({@link Broker#reload}) instead of stopping the JVM, which is what it does
     * by default. The JDK has no supported API for handling a signal; {@code sun.misc.Signal}, in
     * the {@code jdk.unsupported} module that the JDK keeps exported for exactly such uses, is the
     * one way short of native code, and it has worked unchanged since Java 1.3. The handler runs on
     * a thread the JVM starts for each signal, never the core thread; reloads take turns.
     * Installed before the listeners start, so a SIGHUP from then on never stops the broker.
     */
    private static void reloadOnHangUp(Broker broker, Logger log) {
        try {
            Signal.handle(new Signal("HUP"), signal -> {
                log.info("SIGHUP: reloading");
                broker.reload();
            });
        } catch (IllegalArgumentException e) {
            // The JVM runs with -Xrs or the platform has no SIGHUP: SIGHUP keeps its default.
            log.warn("cannot handle SIGHUP ({}); it stops the broker instead of reloading", e.getMessage());
        }
    }

    /**
     * Ends the process with {@link #EXIT_THREAD_DIED}: the shutdown hook stops the broker (stop
     * accepting, close the store if the core still runs, release the I/O threads), then halts with
     * this status. A watchdog halts anyway if that takes longer than
     * {@link #FAILURE_STOP_MILLIS_MAX}, so the process never lingers half stopped.
     */
    private static void exitAfterFailure() {
        exitStatus = EXIT_THREAD_DIED;
        Thread watchdog = new Thread(
                () -> {
                    try {
                        Thread.sleep(FAILURE_STOP_MILLIS_MAX);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    Runtime.getRuntime().halt(EXIT_THREAD_DIED);
                },
                "cairn-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        // From a thread of its own: System.exit blocks its caller until the hooks are done, and
        // the caller may be one the hook waits for.
        new Thread(() -> System.exit(EXIT_THREAD_DIED), "cairn-exit").start();
    }
}
