package dev.cairn.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code cairn-tools.jar}: dispatches to one subcommand per operator task. */
@Command(name = "cairn-tools", mixinStandardHelpOptions = true, version = "cairn-tools 0.1.0",
        description = "Inspect and repair a Cairn data directory.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }
}
