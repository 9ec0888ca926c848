package dev.cairn.broker.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The dashboard's static files: Cairn's own under {@code dashboard/} in the broker jar, and uPlot's
 * ({@code org.webjars.npm:uplot}, ADR 0023) from its WebJar on the class path. A request names one
 * file by a single path segment of letters, digits, {@code _}, {@code -} and inner dots, with an
 * extension listed here; anything else (a slash, {@code ..}, a backslash, an unknown extension, a
 * file the jar does not hold) is not found, so no request reaches a resource outside these two
 * folders. Holds nothing mutable: any thread.
 */
final class DashboardFiles {
    /** Where the dashboard is served; {@code /} and {@code /dashboard} redirect here. */
    static final String PREFIX = "/dashboard/";

    /** uPlot's files, under {@link #PREFIX}. */
    static final String UPLOT = "uplot/";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)+");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml");
    private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars.npm/uplot/pom.properties";

    /** A file to send: its bytes and content type. */
    record File(byte[] body, String contentType) {}

    private final ClassLoader loader;
    private final String uplotDir;

    private DashboardFiles(ClassLoader loader, String uplotDir) {
        this.loader = loader;
        this.uplotDir = uplotDir;
    }

    /**
     * The files on the class path of this class.
     *
     * @throws IllegalStateException when the uPlot WebJar is missing (a broken build)
     */
    static DashboardFiles onClassPath() {
        ClassLoader loader = DashboardFiles.class.getClassLoader();
        Properties webjar = new Properties();
        try (InputStream in = loader.getResourceAsStream(WEBJAR_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the uPlot WebJar is not on the class path: no " + WEBJAR_PROPERTIES);
            }
            webjar.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DashboardFiles(
                loader, "META-INF/resources/webjars/uplot/" + webjar.getProperty("version") + "/dist/");
    }

    /**
     * The file at {@code path} (the request's decoded path, starting with {@link #PREFIX}), or
     * empty when there is none to serve.
     */
    Optional<File> find(String path) throws IOException {
        if (!path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = path.substring(PREFIX.length());
        String resource;
        if (rest.isEmpty()) {
            resource = "dashboard/index.html";
            rest = "index.html";
        } else if (rest.startsWith(UPLOT)) {
            rest = rest.substring(UPLOT.length());
            resource = uplotDir + rest;
        } else {
            resource = "dashboard/" + rest;
        }
        if (!NAME.matcher(rest).matches()) {
            return Optional.empty();
        }
        String type = TYPES.get(rest.substring(rest.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(new File(in.readAllBytes(), type));
        }
    }
}
