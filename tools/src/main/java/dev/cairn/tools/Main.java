package dev.cairn.tools;

import dev.cairn.protocol.CairnVersion;
import dev.cairn.tools.index.RebuildIndexCommand;
import dev.cairn.tools.index.StatsCommand;
import dev.cairn.tools.journal.DumpCommand;
import dev.cairn.tools.journal.VerifyCommand;
import dev.cairn.tools.passwd.PasswdCommand;
import dev.cairn.tools.repair.RepairCommand;
import dev.cairn.tools.replay.ReplayCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code cairn-tools.jar}: dispatches to one subcommand per operator task. Every
 * command works on a data directory ({@code --data-dir}); the read-only ones (dump, verify,
 * stats) are safe while the broker runs, the ones that rewrite (rebuild-index, repair) take the
 * broker's lock and refuse with exit code 3 while it is held. {@code passwd} edits a password
 * file instead (the broker's {@code password_file}).
 */
@Command(
        name = "cairn-tools",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Inspect, verify and repair a Cairn data directory; manage its users' passwords.",
        subcommands = {
            DumpCommand.class,
            VerifyCommand.class,
            StatsCommand.class,
            RebuildIndexCommand.class,
            RepairCommand.class,
            ReplayCommand.class,
            PasswdCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        quietLibraries();
        System.exit(commandLine().execute(args));
    }

    /**
     * Chronicle reads these switches once, when its first class loads, so they must be set before
     * any journal is opened: no phone-home, no banner, no disk-monitor thread, WARN and up only.
     */
    static void quietLibraries() {
        setIfAbsent("chronicle.analytics.disable", "true");
        setIfAbsent("chronicle.announcer.disable", "true");
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        setIfAbsent("org.slf4j.simpleLogger.log.net.openhft", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** The configured command line; tests run commands through this with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportFailure);
        documentExitCodes(cli);
        return cli;
    }

    /** One list of exit codes for the top command and every subcommand's {@code --help}. */
    private static void documentExitCodes(CommandLine cli) {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put(" " + ExitCode.OK, "ok");
        codes.put(" " + ExitCode.PROBLEMS, "problems found, or the operation failed");
        codes.put(" " + ExitCode.USAGE, "usage error");
        codes.put(" " + ExitCode.LOCKED, "data directory locked by a running broker");
        cli.getCommandSpec()
                .usageMessage()
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(codes);
        for (CommandLine sub : cli.getSubcommands().values()) {
            documentExitCodes(sub);
        }
    }

    /**
     * A failure that escaped a command: one line naming it (no stack trace for operators), and
     * exit code 3 for a locked directory, 1 for anything else.
     */
    private static int reportFailure(Exception failure, CommandLine cli, CommandLine.ParseResult parsed) {
        cli.getErr().println(cli.getCommandName() + ": " + failure.getMessage());
        if (!(failure instanceof dev.cairn.storage.DataDirectoryInUseException)
                && !(failure instanceof IllegalArgumentException)) {
            failure.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
        return ExitCode.forException(failure);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    /** {@code --version}: the project version the build wrote into cairn-protocol, as the broker reports it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"cairn-tools " + CairnVersion.get()};
        }
    }
}
