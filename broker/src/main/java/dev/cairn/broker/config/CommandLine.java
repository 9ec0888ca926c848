package dev.cairn.broker.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The broker's command line, parsed by picocli: {@code --config FILE} plus overrides
 * {@code --bind}, {@code --port}, {@code --data-dir} and {@code --set key=value} for any other key,
 * {@code --check-config FILE}, and {@code --help} and {@code --version}. Overrides win over the file; of two overrides of one
 * key the later on the command line wins. A bad argument is a {@link ConfigException} whose
 * message names the option.
 */
@Command(
        name = "cairn",
        versionProvider = VersionProvider.class,
        separator = " ",
        sortOptions = false,
        usageHelpAutoWidth = true,
        customSynopsis = CommandLine.SYNOPSIS,
        description = {
            "The Cairn MQTT broker (also started as java -jar cairn-broker.jar). Logs go to stderr;"
                    + " SIGTERM or SIGINT stop it gracefully; SIGHUP reloads TLS certificates and keys,"
                    + " password and ACL files, log_level and auth_methods."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:after a clean shutdown (or --help, --version)",
            " 1:cannot start (e.g. the port is taken)",
            " 2:bad arguments or configuration (--check-config: the config has problems)"
        },
        footer = {"", "Keys, defaults and ranges are listed in the README's configuration reference."})
public final class CommandLine {
    static final String SYNOPSIS = "cairn [--config FILE] [--bind ADDR] [--port N] [--data-dir DIR]"
            + " [--set key=value]... [--check-config FILE] [--help] [--version]";

    private final Map<String, String> overrides = new LinkedHashMap<>();
    private Path configFile;
    private Path checkConfigFile;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            order = 7,
            description = "Print this help and exit.")
    private boolean help;

    @Option(
            names = {"-V", "--version"},
            versionHelp = true,
            order = 8,
            description = "Print the version and exit.")
    private boolean version;

    @Spec
    private CommandSpec spec;

    private CommandLine() {}

    /** Parses {@code args}; a bad argument throws a {@link ConfigException} naming the option. */
    public static CommandLine parse(String[] args) {
        CommandLine cli = new CommandLine();
        try {
            commandLine(cli).parseArgs(args);
        } catch (ParameterException e) {
            throw new ConfigException(e.getMessage());
        }
        if (cli.checkConfigFile != null && cli.configFile != null) {
            throw new ConfigException("--check-config FILE checks FILE: give it instead of --config, not with it");
        }
        return cli;
    }

    @Option(
            names = "--config",
            paramLabel = "FILE",
            order = 1,
            description = "Config file of key = value lines (# starts a comment).")
    private void config(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--config: config file " + file + " does not exist");
        }
        configFile = file;
    }

    @Option(
            names = "--check-config",
            paramLabel = "FILE",
            order = 6,
            description = "Check FILE (with any --set, --bind, --port and --data-dir) as the broker would, print"
                    + " every problem, and exit: 0 when it is fine, 2 when not. Starts no listener and opens no"
                    + " data directory.")
    private void checkConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "--check-config: config file " + file + " does not exist");
        }
        checkConfigFile = file;
    }

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            order = 2,
            description = "Address the default MQTT listener binds to (key bind).")
    private void bind(String address) {
        overrides.put(ConfigKey.BIND.key(), address);
    }

    @Option(
            names = "--port",
            paramLabel = "N",
            order = 3,
            description = "TCP port of the default MQTT listener, 0 picks a free one (key port).")
    private void port(String port) {
        long n;
        try {
            n = Long.parseLong(port);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < ConfigKey.PORT.min() || n > ConfigKey.PORT.max()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--port must be a whole number between " + ConfigKey.PORT.min() + " and " + ConfigKey.PORT.max()
                            + ", got '" + port + "'");
        }
        overrides.put(ConfigKey.PORT.key(), port);
    }

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            order = 4,
            description = "Directory holding the journal and the indexes (key data_dir).")
    private void dataDir(String dir) {
        overrides.put(ConfigKey.DATA_DIR.key(), dir);
    }

    /** One occurrence per call: picocli calls a single-valued setter again for each repetition. */
    @Option(
            names = "--set",
            paramLabel = "key=value",
            order = 5,
            description = "Sets any config key (listener.NAME.KEY too); repeat it for more keys.")
    private void set(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new ParameterException(spec.commandLine(), "--set needs key=value, got '" + keyValue + "'");
        }
        String key = keyValue.substring(0, eq);
        if (!ConfigLoader.isKnownKey(key)) {
            throw new ParameterException(spec.commandLine(), "--set: unknown config key '" + key + "'");
        }
        overrides.put(key, keyValue.substring(eq + 1));
    }

    public boolean helpRequested() {
        return help;
    }

    public boolean versionRequested() {
        return version;
    }

    /** The {@code --config} file, or null when the broker runs from the command line's settings alone. */
    public Path configFile() {
        return configFile;
    }

    /** The file of {@code --check-config}, or null when the broker is to start. */
    public Path checkConfigFile() {
        return checkConfigFile;
    }

    /** The config: of {@code --check-config FILE} or {@code --config FILE}, with the overrides. */
    public BrokerConfig toConfig() {
        return toSettings().config();
    }

    /** As {@link #toConfig}, with the setting of each key (for a reload to compare). */
    public ConfigLoader.Loaded toSettings() {
        return ConfigLoader.loadWithSettings(checkConfigFile != null ? checkConfigFile : configFile, overrides);
    }

    /** The full {@code --help} text. */
    public static String usage() {
        StringWriter text = new StringWriter();
        commandLine(new CommandLine()).usage(new PrintWriter(text));
        return text.toString();
    }

    /** What follows an error message: the synopsis and where the rest is. */
    public static String shortUsage() {
        return "usage: " + SYNOPSIS + System.lineSeparator() + "cairn --help describes every option.";
    }

    /** What {@code --version} prints. */
    public static String version() {
        return String.join(System.lineSeparator(), new VersionProvider().getVersion());
    }

    private static picocli.CommandLine commandLine(CommandLine cli) {
        // Each occurrence of an option is applied in turn, so of two overrides of one key the later wins.
        return new picocli.CommandLine(cli).setOverwrittenOptionsAllowed(true);
    }
}
