package dev.cairn.tools;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option every command takes, and the layout inside it. */
public final class DataDirectory {
    @Option(
            names = "--data-dir",
            required = true,
            paramLabel = "DIR",
            description = "The broker's data directory (holds journal/, index/ and cairn.lock).")
    Path path;

    public Path path() {
        return path;
    }

    public Path journal() {
        return path.resolve("journal");
    }

    public Path index() {
        return path.resolve("index");
    }
}
