package dev.cairn.storage.record;

/** Exactly-once inbound: a QoS 2 PUBLISH with {@code packetId} was stored at {@code position}; the id is remembered until PUBREL. */
public record InboundQos2Received(String clientId, int packetId, long position) implements JournalRecord {

    public InboundQos2Received {
        Checks.text(clientId, "clientId");
        Checks.packetId(packetId);
    }

    @Override
    public RecordType type() {
        return RecordType.INBOUND_QOS2_RECEIVED;
    }
}
