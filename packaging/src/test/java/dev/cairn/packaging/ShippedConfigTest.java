package dev.cairn.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.config.BridgeKey;
import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.config.ConfigKey;
import dev.cairn.broker.config.ConfigLoader;
import dev.cairn.broker.config.ListenerKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/cairn.conf}, the config the archive ships, does not rot: it lists every key of
 * {@link ConfigKey}, every listener key of {@link ListenerKey} (as {@code listener.NAME.KEY}) and
 * every bridge key of {@link BridgeKey} (as {@code bridge.NAME.KEY}) exactly once, commented out, with its default and a description above it, and no key that does
 * not exist. A new key without its line here fails this test.
 */
class ShippedConfigTest {
    private static final Path CONF = Path.of("conf", "cairn.conf");
    /** A key line: "# key = default" (one space after '#'; examples in the prose are indented more). */
    private static final Pattern KEY_LINE = Pattern.compile("# ([A-Za-z_.]+) =(?: (.*))?");

    @Test
    void listsEveryKeyOnceWithItsDefaultAndADescription() throws IOException {
        List<String> lines = Files.readAllLines(CONF, StandardCharsets.UTF_8);
        Map<String, String> listed = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1);
            String value = m.group(2) == null ? "" : m.group(2);
            if (listed.put(key, value) != null) {
                problems.add(key + " is listed twice");
            }
            if (i == 0
                    || !lines.get(i - 1).startsWith("# ")
                    || KEY_LINE.matcher(lines.get(i - 1)).matches()) {
                problems.add(key + " (line " + (i + 1) + ") has no description on the line above");
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.values()) {
            expected.put(key.key(), key.defaultValue());
        }
        for (ListenerKey key : ListenerKey.values()) {
            expected.put(key.of("NAME"), key.defaultValue());
        }
        for (BridgeKey key : BridgeKey.values()) {
            expected.put(key.of("NAME"), key.defaultValue());
        }
        expected.forEach((key, value) -> {
            if (!listed.containsKey(key)) {
                problems.add("missing: # " + key + " =" + (value.isEmpty() ? "" : " " + value));
            } else if (!listed.get(key).equals(value)) {
                problems.add(key + " is listed with '" + listed.get(key) + "', its default is '" + value + "'");
            }
        });
        listed.keySet().stream()
                .filter(key -> !expected.containsKey(key))
                .forEach(key -> problems.add(key + " is listed but is not a key"));
        assertTrue(problems.isEmpty(), CONF + ":\n" + String.join("\n", problems));
    }

    /** As shipped, every line commented out, it is the default configuration. */
    @Test
    void asShippedItIsTheDefaultConfiguration() {
        assertEquals(BrokerConfig.defaults(), ConfigLoader.load(CONF, Map.of()));
    }
}
