package dev.cairn.storage.record;

/** Exactly-once inbound: PUBREL received, the packet id is free again. */
public record InboundQos2Released(String clientId, int packetId) implements JournalRecord {

    public InboundQos2Released {
        Checks.text(clientId, "clientId");
        Checks.packetId(packetId);
    }

    @Override
    public RecordType type() {
        return RecordType.INBOUND_QOS2_RELEASED;
    }
}
