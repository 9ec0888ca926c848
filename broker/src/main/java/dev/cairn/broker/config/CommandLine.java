package dev.cairn.broker.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker's command line: {@code --config FILE} plus overrides {@code --bind}, {@code --port},
 * {@code --data-dir} and {@code --set key=value} for any other key. Overrides win over the file.
 */
public final class CommandLine {
    private final Path configFile;
    private final Map<String, String> overrides;
    private final boolean help;

    private CommandLine(Path configFile, Map<String, String> overrides, boolean help) {
        this.configFile = configFile;
        this.overrides = overrides;
        this.help = help;
    }

    public static CommandLine parse(String[] args) {
        Path file = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg)) {
                return new CommandLine(null, Map.of(), true);
            }
            if (i + 1 >= args.length) {
                throw new ConfigException("missing value after " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--config":
                    file = Path.of(value);
                    if (!Files.isRegularFile(file)) {
                        throw new ConfigException("config file " + file + " does not exist");
                    }
                    break;
                case "--bind":
                    overrides.put(ConfigKey.BIND.key(), value);
                    break;
                case "--port":
                    overrides.put(ConfigKey.PORT.key(), value);
                    break;
                case "--data-dir":
                    overrides.put(ConfigKey.DATA_DIR.key(), value);
                    break;
                case "--set":
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw new ConfigException("--set needs key=value, got '" + value + "'");
                    }
                    overrides.put(value.substring(0, eq), value.substring(eq + 1));
                    break;
                default:
                    throw new ConfigException("unknown option " + arg);
            }
        }
        return new CommandLine(file, overrides, false);
    }

    public boolean helpRequested() {
        return help;
    }

    public BrokerConfig toConfig() {
        return ConfigLoader.load(configFile, overrides);
    }

    public static String usage() {
        return "usage: java -jar cairn-broker.jar [--config FILE] [--bind ADDR] [--port N] [--data-dir DIR]"
                + " [--set key=value]...\n"
                + "Keys and defaults are listed in the README's configuration reference.";
    }
}
