package dev.cairn.broker.acl;

import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules of one ACL file in mosquitto's {@code acl_file} syntax, parsed and checked line by
 * line (the format is described in {@code man mosquitto.conf}, "acl_file"; this is our own
 * reading of it):
 *
 * <ul>
 *   <li>{@code user NAME}: the {@code topic} lines that follow apply to clients that connected
 *       with username NAME (the rest of the line, so a name may contain spaces); a name given
 *       twice collects the lines of both sections.
 *   <li>{@code topic [read|write|readwrite|deny] FILTER}: before the first {@code user} line, for
 *       clients without a username; after it, for that user. Without an access word the access
 *       is {@code readwrite}. With one, the filter is the rest of the line and may contain spaces.
 *   <li>{@code pattern [read|write|readwrite|deny] FILTER}: for every client wherever it stands,
 *       with {@code %u} replaced by the client's username and {@code %c} by its client id.
 *   <li>Blank lines, and lines whose first non-blank character is {@code #}, are ignored.
 * </ul>
 *
 * A filter must be a valid MQTT topic filter ({@code +} and {@code #} as in subscriptions) and
 * not a shared subscription. Anything else (an unknown keyword or access word, a missing name or
 * filter) is an {@link AclFileException} naming the file and the line: a broker must not start
 * with rules it read differently from what the operator wrote. Immutable.
 */
public record AclFile(List<AclRule> anonymous, Map<String, List<AclRule>> users, List<AclRule> patterns) {

    public AclFile {
        anonymous = List.copyOf(anonymous);
        patterns = List.copyOf(patterns);
        Map<String, List<AclRule>> copy = new LinkedHashMap<>();
        users.forEach((name, rules) -> copy.put(name, List.copyOf(rules)));
        users = Collections.unmodifiableMap(copy);
    }

    /** Reads and parses {@code file} (UTF-8). */
    public static AclFile read(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AclFileException(file.toString(), "not valid UTF-8");
        } catch (IOException e) {
            throw new AclFileException(file.toString(), "cannot be read: " + e);
        }
        return parse(text, file.toString());
    }

    /** Parses the text of an ACL file; {@code source} names it in error messages. */
    public static AclFile parse(String text, String source) {
        List<AclRule> anonymous = new ArrayList<>();
        Map<String, List<AclRule>> users = new LinkedHashMap<>();
        List<AclRule> patterns = new ArrayList<>();
        List<AclRule> section = anonymous;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            String keyword = firstWord(line);
            String rest = line.substring(keyword.length()).strip();
            switch (keyword) {
                case "user":
                    if (rest.isEmpty()) {
                        throw new AclFileException(source, number, "'user' needs a username");
                    }
                    section = users.computeIfAbsent(rest, name -> new ArrayList<>());
                    break;
                case "topic":
                    section.add(rule(rest, keyword, source, number));
                    break;
                case "pattern":
                    patterns.add(rule(rest, keyword, source, number));
                    break;
                default:
                    throw new AclFileException(
                            source, number, "unknown keyword '" + keyword + "'; expected user, topic or pattern");
            }
        }
        return new AclFile(anonymous, users, patterns);
    }

    /** The rest of a {@code topic} or {@code pattern} line: an optional access word, then the filter. */
    private static AclRule rule(String rest, String keyword, String source, int number) {
        if (rest.isEmpty()) {
            throw new AclFileException(source, number, "'" + keyword + "' needs a topic filter");
        }
        String first = firstWord(rest);
        Access access = Access.ofWord(first);
        String filter;
        if (access != null) {
            filter = rest.substring(first.length()).strip();
            if (filter.isEmpty()) {
                throw new AclFileException(
                        source, number, "'" + keyword + " " + first + "' needs a topic filter after the access word");
            }
        } else if (first.length() < rest.length()) {
            throw new AclFileException(
                    source,
                    number,
                    "unknown access '" + first + "'; expected read, write, readwrite or deny (a filter that contains"
                            + " a space needs the access word before it)");
        } else {
            access = Access.READWRITE;
            filter = rest;
        }
        checkFilter(filter, source, number);
        return new AclRule(access, filter, number);
    }

    private static void checkFilter(String filter, String source, int number) {
        TopicFilter parsed;
        try {
            parsed = TopicFilter.parse(filter, TopicLimits.PROTOCOL);
        } catch (InvalidTopicException e) {
            throw new AclFileException(source, number, "invalid topic filter '" + filter + "': " + e.getMessage());
        }
        if (parsed.isShared()) {
            throw new AclFileException(
                    source,
                    number,
                    "'" + filter + "' is a shared subscription; an ACL names the topic filter (a shared"
                            + " subscription is judged by the filter after $share/NAME/)");
        }
    }

    private static String firstWord(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    /** How many rules the file holds, of every kind. */
    public int ruleCount() {
        int n = anonymous.size() + patterns.size();
        for (List<AclRule> rules : users.values()) {
            n += rules.size();
        }
        return n;
    }
}
