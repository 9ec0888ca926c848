package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Goal: the admin listener serves the dashboard's own files and uPlot's from the jar with the
 * right content types and its Content-Security-Policy, needs no credentials for them, answers 404
 * for any other file, and no request path reaches a resource outside the two folders it serves.
 * Method: a real broker (no admin credentials configured) and HTTP/1.1 requests written on a
 * socket byte for byte, so that {@code ..}, percent-encoded slashes and backslashes reach the
 * server exactly as an attacker would send them.
 */
class DashboardFilesIT extends Clients {

    /** One HTTP answer: the status code, the headers (names in lower case) and the body. */
    record Answer(int status, String head, String body) {
        String header(String name) {
            Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*?)\\r?$")
                    .matcher(head);
            return m.find() ? m.group(1) : null;
        }
    }

    /** Sends {@code method target} exactly as given and reads the answer to its end. */
    static Answer request(int port, String method, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int split = all.indexOf("\r\n\r\n");
            String head = all.substring(0, split);
            int status = Integer.parseInt(head.split(" ")[1]);
            return new Answer(status, head, all.substring(split + 4));
        }
    }

    @Test
    void servesItsFilesAndUplotsWithTheirTypesAndThePolicyWithoutCredentials() throws Exception {
        TestBroker broker = broker();
        List<String[]> files = List.of(
                new String[] {"/dashboard/", "text/html; charset=utf-8", "<title>Cairn dashboard</title>"},
                new String[] {"/dashboard/index.html", "text/html; charset=utf-8", "dashboard.js"},
                new String[] {"/dashboard/dashboard.js", "text/javascript; charset=utf-8", "pollMetrics"},
                new String[] {"/dashboard/dashboard.css", "text/css; charset=utf-8", ".charts"},
                new String[] {"/dashboard/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8", "uPlot"},
                new String[] {"/dashboard/uplot/uPlot.min.css", "text/css; charset=utf-8", ".uplot"});
        for (String[] f : files) {
            // Act
            Answer a = request(broker.adminPort(), "GET", f[0]);
            // Assert
            assertEquals(200, a.status(), f[0]);
            assertEquals(f[1], a.header("content-type"), f[0]);
            assertTrue(a.body().contains(f[2]), f[0]);
            String csp = a.header("content-security-policy");
            assertTrue(csp != null && csp.contains("script-src 'self'") && !csp.contains("unsafe"), f[0] + ": " + csp);
            assertEquals("nosniff", a.header("x-content-type-options"), f[0]);
        }
        assertEquals(
                200,
                request(broker.adminPort(), "HEAD", "/dashboard/dashboard.js").status());
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() throws Exception {
        TestBroker broker = broker();
        String page = request(broker.adminPort(), "GET", "/dashboard/").body().toLowerCase(Locale.ROOT);
        Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertTrue(scripts.group(1).contains("src="), "inline script: " + scripts.group());
        }
        assertEquals(2, count, "uPlot and dashboard.js");
        assertFalse(page.contains("<style"), "no style element");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(page).find(), "no inline event handler");
        assertFalse(page.contains(" style="), "no style attribute");
    }

    @Test
    void theRootAndDashboardWithoutSlashRedirectToTheDashboard() throws Exception {
        TestBroker broker = broker();
        for (String path : List.of("/", "/dashboard")) {
            Answer a = request(broker.adminPort(), "GET", path);
            assertEquals(302, a.status(), path);
            assertEquals("/dashboard/", a.header("location"), path);
        }
    }

    @Test
    void unknownFilesAndOtherMethodsAreRefused() throws Exception {
        TestBroker broker = broker();
        for (String path : List.of(
                "/dashboard/nothing.js",
                "/dashboard/dashboard", // no extension
                "/dashboard/uplot/uPlot.d.ts", // in the WebJar, but not a type the dashboard serves
                "/dashboard/uplot/package.json",
                "/dashboard/uplot/",
                "/dashboard/sub/index.html",
                "/dashboard/.hidden.js",
                "/dashboards/index.html")) {
            Answer a = request(broker.adminPort(), "GET", path);
            assertEquals(404, a.status(), path);
            assertEquals("text/plain; charset=utf-8", a.header("content-type"), path);
        }
        Answer post = request(broker.adminPort(), "POST", "/dashboard/index.html");
        assertEquals(405, post.status());
        assertEquals("GET, HEAD", post.header("allow"));
    }

    /**
     * Each target names a real file with a served extension outside the folder it starts in (the
     * WebJar's uPlot CSS, the dashboard's own page, a class of the broker), by {@code ..}, its
     * percent-encoding, an encoded slash or a backslash: none is served.
     */
    @Test
    void noPathLeavesTheServedFolders() throws Exception {
        TestBroker broker = broker();
        for (String target : List.of(
                "/dashboard/../dashboard/index.html",
                "/dashboard/..%2fMETA-INF%2fresources%2fwebjars%2fuplot%2f1.6.30%2fdist%2fuPlot.min.css",
                "/dashboard/%2e%2e/META-INF/resources/webjars/uplot/1.6.30/dist/uPlot.min.css",
                "/dashboard/uplot/..%2f..%2f..%2f..%2f..%2f..%2fdashboard%2findex.html",
                "/dashboard/uplot/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fdashboard%2fdashboard.js",
                "/dashboard/uplot/..\\..\\..\\..\\..\\..\\dashboard\\dashboard.css",
                "/dashboard/..%5cMETA-INF%5cresources%5cwebjars%5cuplot%5c1.6.30%5cdist%5cuPlot.min.css",
                "/dashboard/%2fdev%2fcairn%2fbroker%2fMain.class",
                "/dashboard/uplot/%00uPlot.min.css")) {
            // Act
            Answer a = request(broker.adminPort(), "GET", target);
            // Assert
            assertTrue(a.status() == 404 || a.status() == 400, target + " answered " + a.status());
            assertFalse(a.body().contains(".uplot") || a.body().contains("<html"), target);
        }
    }
}
