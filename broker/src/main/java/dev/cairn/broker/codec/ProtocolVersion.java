package dev.cairn.broker.codec;

/** The protocol levels Cairn speaks: 3.1 ("MQIsdp", level 3), 3.1.1 (level 4) and 5.0 (level 5). */
public enum ProtocolVersion {
    MQTT_3_1(3, "MQIsdp"),
    MQTT_3_1_1(4, "MQTT"),
    MQTT_5(5, "MQTT");

    private final int level;
    private final String protocolName;

    ProtocolVersion(int level, String protocolName) {
        this.level = level;
        this.protocolName = protocolName;
    }

    public int level() {
        return level;
    }

    public String protocolName() {
        return protocolName;
    }

    public boolean isV5() {
        return this == MQTT_5;
    }

    /** Returns the version for a protocol name and level, or null if the pair is not one we speak. */
    public static ProtocolVersion of(String protocolName, int level) {
        for (ProtocolVersion version : values()) {
            if (version.level == level && version.protocolName.equals(protocolName)) {
                return version;
            }
        }
        return null;
    }
}
