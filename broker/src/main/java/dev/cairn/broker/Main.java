package dev.cairn.broker;

import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.CommandLine;
import dev.cairn.broker.config.ConfigException;
import dev.cairn.broker.config.JvmSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar cairn-broker.jar [--config FILE] [--bind ADDR] [--port N] [--data-dir DIR]
 * [--set key=value]... [--help] [--version]} (see {@link CommandLine}). Exit codes: 0 after a clean
 * shutdown (SIGTERM/SIGINT) or after --help and --version, 2 for bad arguments or config, 1 when
 * the broker cannot start.
 */
public final class Main {
    /** The status the shutdown hook ends the JVM with: 0 unless start failed. */
    private static volatile int exitStatus;

    private Main() {
    }

    public static void main(String[] args) {
        JvmSettings.apply(); // Before the first logger or Chronicle class is created.
        Logger log = LoggerFactory.getLogger(Main.class);
        BrokerConfig config;
        try {
            CommandLine cli = CommandLine.parse(args);
            if (cli.helpRequested()) {
                System.out.print(CommandLine.usage());
                return;
            }
            if (cli.versionRequested()) {
                System.out.println(CommandLine.version());
                return;
            }
            config = cli.toConfig();
        } catch (ConfigException e) {
            System.err.println("cairn: " + e.getMessage());
            System.err.println(CommandLine.shortUsage());
            System.exit(2);
            return;
        }
        Broker broker;
        try {
            broker = new Broker(config);
        } catch (RuntimeException e) {
            log.error("cannot open the data directory {}: {}", config.dataDir(), e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // The JVM's own exit status after SIGTERM is 143 even when the hooks finish; the
            // store is closed by now, so end here with the 0 that a clean shutdown promises.
            Runtime.getRuntime().halt(exitStatus);
        }, "cairn-shutdown"));
        try {
            broker.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.getMessage(), e);
            exitStatus = 1;
            System.exit(1);
        }
    }
}
