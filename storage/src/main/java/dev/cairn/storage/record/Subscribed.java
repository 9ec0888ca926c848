package dev.cairn.storage.record;

/** A subscription was added or replaced. {@code options} is the MQTT 5 subscription options byte (QoS in bits 0-1); {@code subscriptionId} is 0 for none. */
public record Subscribed(String clientId, String filter, int options, int subscriptionId) implements JournalRecord {

    public Subscribed {
        Checks.text(clientId, "clientId");
        Checks.text(filter, "filter");
        Checks.u8(options, "options");
        Checks.subscriptionId(subscriptionId);
    }

    @Override
    public RecordType type() {
        return RecordType.SUBSCRIBED;
    }
}
