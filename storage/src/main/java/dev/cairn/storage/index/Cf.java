package dev.cairn.storage.index;

import java.nio.charset.StandardCharsets;

/** The column families of the index. Their names are on disk; never rename one. */
enum Cf {
    SESSIONS("sessions"),
    SUBSCRIPTIONS("subscriptions"),
    QUEUES("queues"),
    QUEUE_DEPTHS("queue_depths"),
    INBOUND_QOS2("inbound_qos2"),
    RETAINED("retained"),
    WILLS("wills"),
    META("meta"),
    /** {@code payloadPosition, clientId -> queue position}: which journal positions queues still read. */
    PAYLOAD_REFS("payload_refs");

    private final String columnFamilyName;

    Cf(String columnFamilyName) {
        this.columnFamilyName = columnFamilyName;
    }

    byte[] nameBytes() {
        return columnFamilyName.getBytes(StandardCharsets.UTF_8);
    }
}
