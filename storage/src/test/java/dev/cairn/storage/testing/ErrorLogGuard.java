package dev.cairn.storage.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that logged at ERROR unless it declared the line with {@link ExpectedErrorLog}
 * (CONTRIBUTING.md, "How tests are written"). Registered for every test of the
 * modules with this test-jar on their test classpath (storage, broker, tools) by JUnit's
 * extension auto-detection: the service file in this test-jar, switched on by each module's own
 * {@code junit-platform.properties} (the test-jars leave theirs out, so none competes).
 *
 * <p>slf4j-simple writes to whatever {@code System.err} is at the time of each call, so the guard
 * installs, once per JVM, a stream that passes everything through to the real stderr and keeps
 * the ERROR lines (slf4j-simple's format: {@code [thread] ERROR logger - message}) written since
 * the current test began. Broker threads log asynchronously; a line logged after a test's
 * {@code @AfterEach} (which stops its broker) is counted against the next test.
 */
public final class ErrorLogGuard implements BeforeEachCallback, AfterEachCallback {
    private static final String MARKER = "] ERROR ";
    private static final ErrorCapture CAPTURE = ErrorCapture.install();

    @Override
    public void beforeEach(ExtensionContext context) {
        CAPTURE.take();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> unexpected = unexpected(CAPTURE.take(), expectedSubstrings(context));
        if (!unexpected.isEmpty()) {
            fail("unexpected ERROR log line(s); fix the cause or declare them with @ExpectedErrorLog:\n  "
                    + String.join("\n  ", unexpected));
        }
    }

    /** The ERROR lines logged since the last call (the guard's own bookkeeping, and its test's). */
    public static List<String> takeCaptured() {
        return CAPTURE.take();
    }

    /** The lines that contain none of the expected substrings. */
    static List<String> unexpected(List<String> errorLines, List<String> expected) {
        List<String> unexpected = new ArrayList<>();
        for (String line : errorLines) {
            if (expected.stream().noneMatch(line::contains)) {
                unexpected.add(line);
            }
        }
        return unexpected;
    }

    private static List<String> expectedSubstrings(ExtensionContext context) {
        List<String> expected = new ArrayList<>();
        context.getTestMethod()
                .map(m -> m.getAnnotation(ExpectedErrorLog.class))
                .ifPresent(a -> expected.addAll(Arrays.asList(a.value())));
        context.getTestClass()
                .map(c -> c.getAnnotation(ExpectedErrorLog.class))
                .ifPresent(a -> expected.addAll(Arrays.asList(a.value())));
        return expected;
    }

    /** The tee on stderr: complete lines are checked for the ERROR marker as they are written. */
    private static final class ErrorCapture extends OutputStream {
        private final PrintStream real;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private final List<String> errors = new ArrayList<>();

        private ErrorCapture(PrintStream real) {
            this.real = real;
        }

        static ErrorCapture install() {
            ErrorCapture capture = new ErrorCapture(System.err);
            System.setErr(new PrintStream(capture, true, StandardCharsets.UTF_8));
            return capture;
        }

        @Override
        public synchronized void write(int b) {
            real.write(b);
            scan(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            real.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                scan(b[i]);
            }
        }

        private void scan(int b) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.contains(MARKER)) {
                    errors.add(text);
                }
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            real.flush();
        }

        /** The ERROR lines since the last call. */
        synchronized List<String> take() {
            List<String> taken = new ArrayList<>(errors);
            errors.clear();
            return taken;
        }
    }
}
