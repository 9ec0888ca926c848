package dev.cairn.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs one tool command in-process the way {@code java -jar cairn-tools.jar} does, capturing its output. */
public record ToolRun(int exitCode, String out, String err) {

    public static ToolRun run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        List<String> strings = new ArrayList<>();
        for (Object arg : args) {
            strings.add(String.valueOf(arg));
        }
        int code = cli.execute(strings.toArray(new String[0]));
        return new ToolRun(code, out.toString(), err.toString());
    }

    /** Output lines (stdout). */
    public List<String> lines() {
        return out.lines().toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
