package dev.cairn.broker.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Goal: the repository explains itself. Everything a file refers to is in the repository: no
 * file cites design notes kept outside it, every relative link and every {@code .md} path in the
 * Markdown documents resolves to a file here (and an anchor to a heading of it), and every
 * "ADR nnnn" names an ADR in {@code docs/decisions/}. Method: read the files git would commit
 * (tracked plus untracked but not ignored; without git, the working tree less build outputs) as
 * text and match them against patterns; each failure lists every offending file and line.
 */
class RepositoryDocsIT {
    /**
     * Names of the notes that live outside the repository, spelled so this file does not match:
     * the three documents by file name or by "NAME section/§/principle N", and the folder beside
     * the checkout.
     */
    private static final Pattern OUTSIDE_REFERENCE = Pattern.compile("(?i:\\b(?:design|style|deps)\\.md\\b)"
            + "|\\b(?:DESIGN|STYLE|DEPS)\\s+(?:§\\s*|principle\\s+|section\\s+)?\\d"
            + "|\\.\\./shared\\b");
    /** {@code [text](target)} and {@code ![alt](target)}, target without spaces. */
    private static final Pattern MARKDOWN_LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** A path ending in {@code .md} written in prose or code spans, e.g. {@code docs/durability.md}. */
    private static final Pattern MD_PATH = Pattern.compile("(?<![\\w./-])((?:[\\w.-]+/)*[\\w-]+\\.md)\\b");

    private static final Pattern ADR_NUMBER = Pattern.compile("\\bADRs? (\\d{4})\\b");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private static Path root;
    private static List<Path> files;

    @BeforeAll
    static void listRepositoryFiles() throws IOException, InterruptedException {
        root = repositoryRoot();
        files = committableFiles(root);
        assertTrue(files.contains(root.resolve("ARCHITECTURE.md")), "file listing misses ARCHITECTURE.md: " + files);
    }

    @Test
    void noFileRefersToDocumentsOutsideTheRepository() {
        List<String> offending = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE_REFERENCE.matcher(lines.get(i)).find()) {
                    offending.add(root.relativize(file) + ":" + (i + 1) + ": "
                            + lines.get(i).strip());
                }
            }
        }
        assertNone(
                offending,
                "files cite notes that are not in the repository; put what the code relies on "
                        + "into ARCHITECTURE.md, CONTRIBUTING.md or docs/ and point there");
    }

    @Test
    void everyRelativeLinkAndMarkdownPathInTheDocsResolves() {
        List<String> broken = new ArrayList<>();
        for (Path doc : markdownDocs()) {
            List<String> lines = lines(doc);
            for (int i = 0; i < lines.size(); i++) {
                String where = root.relativize(doc) + ":" + (i + 1) + ": ";
                Matcher link = MARKDOWN_LINK.matcher(lines.get(i));
                while (link.find()) {
                    String problem = checkLink(doc, link.group(1));
                    if (problem != null) {
                        broken.add(where + link.group(1) + " " + problem);
                    }
                }
                Matcher path = MD_PATH.matcher(lines.get(i));
                while (path.find()) {
                    String name = path.group(1);
                    if (!Files.isRegularFile(root.resolve(name)) && !Files.isRegularFile(doc.resolveSibling(name))) {
                        broken.add(where + name + " is no file here (from the repository root or beside the document)");
                    }
                }
            }
        }
        assertNone(broken, "links or paths in the docs lead nowhere");
    }

    @Test
    void everyAdrNumberMentionedHasItsDecisionRecord() throws IOException {
        Set<String> numbers;
        try (Stream<Path> adrs = Files.list(root.resolve("docs/decisions"))) {
            numbers = adrs.map(p -> p.getFileName().toString())
                    .filter(name -> name.matches("\\d{4}-.+\\.md"))
                    .map(name -> name.substring(0, 4))
                    .collect(Collectors.toSet());
        }
        List<String> missing = new ArrayList<>();
        for (Path file : files) {
            List<String> lines = lines(file);
            for (int i = 0; i < lines.size(); i++) {
                Matcher adr = ADR_NUMBER.matcher(lines.get(i));
                while (adr.find()) {
                    if (!numbers.contains(adr.group(1))) {
                        missing.add(root.relativize(file) + ":" + (i + 1) + ": ADR " + adr.group(1));
                    }
                }
            }
        }
        assertNone(missing, "ADR numbers without their docs/decisions/NNNN-*.md");
    }

    private static void assertNone(List<String> problems, String what) {
        assertTrue(problems.isEmpty(), what + ":\n  " + String.join("\n  ", problems));
    }

    /** Null when {@code target} (a link written in {@code doc}) leads to a file or heading here. */
    private static String checkLink(Path doc, String target) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // http:, https:, mailto: ... are not this test's business.
        }
        int hash = target.indexOf('#');
        String pathPart = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = pathPart.isEmpty() ? doc : doc.resolveSibling(pathPart).normalize();
        if (pathPart.startsWith("/") || !resolved.startsWith(root)) {
            return "leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return "is no file here";
        }
        if (!Files.isDirectory(resolved) && !files.contains(resolved)) {
            return "is not a file of the repository (ignored or a build output)";
        }
        if (anchor != null
                && resolved.toString().endsWith(".md")
                && !headingAnchors(resolved).contains(anchor)) {
            return "has no heading for #" + anchor;
        }
        return null;
    }

    /** The anchors GitHub derives from a Markdown file's headings (outside code blocks). */
    private static Set<String> headingAnchors(Path doc) {
        Set<String> anchors = new HashSet<>();
        boolean inCode = false;
        for (String line : lines(doc)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!inCode && heading.matches()) {
                String slug = heading.group(1)
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "")
                        .replace(' ', '-');
                anchors.add(slug);
            }
        }
        return anchors;
    }

    private static List<Path> markdownDocs() {
        return files.stream()
                .filter(f -> f.toString().endsWith(".md"))
                .filter(f -> {
                    Path relative = root.relativize(f);
                    return relative.getNameCount() == 1 || relative.startsWith("docs");
                })
                .collect(Collectors.toList());
    }

    /** As UTF-8; bytes that are not (golden zips) become U+FFFD instead of failing the read. */
    private static List<String> lines(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .lines()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The nearest directory above the module that holds the parent POM and ARCHITECTURE.md. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ARCHITECTURE.md")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new AssertionError("no repository root (with ARCHITECTURE.md and pom.xml) above "
                + Path.of("").toAbsolutePath());
    }

    /**
     * The files a commit would hold: git's tracked files plus untracked ones it does not ignore.
     * Without git (a source archive), every file under the root except {@code .git} and build output.
     */
    private static List<Path> committableFiles(Path root) throws IOException, InterruptedException {
        Process git;
        try {
            git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                    .directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException noGit) {
            return walk(root);
        }
        byte[] out = git.getInputStream().readAllBytes();
        assertTrue(git.waitFor(60, TimeUnit.SECONDS), "git ls-files did not finish");
        if (git.exitValue() != 0) {
            return walk(root); // Not a git checkout.
        }
        List<Path> listed = new ArrayList<>();
        for (String name : new String(out, StandardCharsets.UTF_8).split("\0")) {
            Path file = root.resolve(name);
            if (!name.isEmpty() && Files.isRegularFile(file)) { // Tracked but deleted in the work tree: skip.
                listed.add(file.normalize());
            }
        }
        return listed;
    }

    private static List<Path> walk(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile)
                    .filter(f -> {
                        for (Path part : root.relativize(f)) {
                            String name = part.toString();
                            if (name.equals(".git") || name.equals("target") || name.equals(".idea")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .map(Path::normalize)
                    .collect(Collectors.toList());
        }
    }
}
