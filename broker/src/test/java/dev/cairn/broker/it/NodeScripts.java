package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Node scripts the integration tests run (MQTT.js clients, pages in headless Chromium driven by
 * {@code playwright-core}): npm packages are installed into {@code target/node} on first use, a
 * script (a test resource) is copied there and run, and its output arrives line by line.
 */
final class NodeScripts {
    static final Path NODE_DIR = Path.of("target", "node");

    /** Debian's {@code chromium} (.ci/run installs it), which playwright-core drives. */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private NodeScripts() {}

    /** Installs each npm package (name@range) under target/node unless a previous run did. */
    static void install(String... packages) throws Exception {
        for (String pkg : packages) {
            String name = pkg.substring(0, pkg.lastIndexOf('@'));
            if (Files.isDirectory(NODE_DIR.resolve("node_modules").resolve(name))) {
                continue;
            }
            Files.createDirectories(NODE_DIR);
            Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", pkg)
                    .directory(NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm install " + pkg + " did not finish");
            assertEquals(0, npm.exitValue(), "npm install " + pkg + " (needs node and npm on PATH):\n" + output);
        }
    }

    /**
     * Runs the Node script at class path {@code resource} with {@code args} and {@code env} added to
     * its environment; the test ends it. Its output lines (stdout and stderr) arrive in the queue.
     */
    static BlockingQueue<String> run(Clients test, String resource, Map<String, String> env, String... args)
            throws IOException {
        Path file = NODE_DIR.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        Files.createDirectories(NODE_DIR);
        try (InputStream in = NodeScripts.class.getResourceAsStream(resource)) {
            Files.write(file, in.readAllBytes());
        }
        List<String> command = new ArrayList<>(List.of("node", file.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process node = pb.start();
        test.closeAfterTest(() -> {
            node.destroy();
            node.waitFor(5, TimeUnit.SECONDS);
        });
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The script's next line, waiting at most {@code seconds}. */
    static String nextLine(BlockingQueue<String> lines, int seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        assertTrue(line != null, "the Node script printed nothing within " + seconds + " s");
        return line;
    }
}
