package dev.cairn.broker.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The log lines an in-process broker writes while this is open, for a test that checks what is
 * logged below ERROR (audit lines at INFO). slf4j-simple writes each line to whatever {@code
 * System.err} is at the time, so this puts a stream there that passes everything on to the one it
 * replaced (the error guard's, then the real stderr) and keeps the complete lines that contain
 * {@code marker}; {@link #close} puts the old stream back. Core threads log as the harness's steps
 * run, so once a step has returned its lines are here. Open one at a time.
 */
public final class LogLines implements AutoCloseable {
    private final PrintStream replaced;
    private final String marker;
    private final List<String> kept = new ArrayList<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private LogLines(String marker) {
        this.replaced = System.err;
        this.marker = marker;
    }

    /** Starts keeping the lines that contain {@code marker} (e.g. a logger's name). */
    public static LogLines capture(String marker) {
        LogLines lines = new LogLines(marker);
        System.setErr(new PrintStream(lines.tee(), true, StandardCharsets.UTF_8));
        return lines;
    }

    private OutputStream tee() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (LogLines.this) {
                    replaced.write(b);
                    scan(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (LogLines.this) {
                    replaced.write(b, off, len);
                    for (int i = off; i < off + len; i++) {
                        scan(b[i]);
                    }
                }
            }

            @Override
            public void flush() {
                replaced.flush();
            }
        };
    }

    private void scan(int b) {
        if (b != '\n') {
            line.write(b);
            return;
        }
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.contains(marker)) {
            kept.add(text);
        }
    }

    /** The kept lines so far that contain {@code text}. */
    public synchronized List<String> containing(String text) {
        List<String> out = new ArrayList<>();
        for (String l : kept) {
            if (l.contains(text)) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    public void close() {
        System.setErr(replaced);
    }
}
