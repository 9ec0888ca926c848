package dev.cairn.tools;

import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.Recipient;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Messages for journals the tests write record by record: QoS 1 from "pub", payload "payload of TOPIC". */
public final class TestMessages {
    private TestMessages() {}

    /** A message on {@code topic} queued for {@code recipients}; with none, as a relocated copy carries it. */
    public static MessageStored message(String topic, List<Recipient> recipients) {
        return new MessageStored(
                "pub",
                topic,
                1,
                false,
                new byte[0],
                ("payload of " + topic).getBytes(StandardCharsets.UTF_8),
                1_700_000_000_000L,
                -1,
                recipients);
    }
}
