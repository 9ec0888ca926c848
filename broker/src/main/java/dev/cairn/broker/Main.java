package dev.cairn.broker;

import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.CommandLine;
import dev.cairn.broker.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar cairn-broker.jar [--config FILE] [--bind ADDR] [--port N] [--data-dir DIR]}.
 * Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT), 2 for bad arguments or config, 1 when
 * the broker cannot start.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        BrokerConfig config;
        try {
            CommandLine cli = CommandLine.parse(args);
            if (cli.helpRequested()) {
                System.out.println(CommandLine.usage());
                return;
            }
            config = cli.toConfig();
        } catch (ConfigException e) {
            System.err.println("cairn: " + e.getMessage());
            System.err.println(CommandLine.usage());
            System.exit(2);
            return;
        }
        Broker broker = new Broker(config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "cairn-shutdown"));
        try {
            broker.start();
        } catch (Exception e) {
            LOG.error("cannot start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }
}
