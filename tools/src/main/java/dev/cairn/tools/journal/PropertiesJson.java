package dev.cairn.tools.journal;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyDecoder;
import dev.cairn.protocol.UserProperty;

/**
 * The MQTT 5 PUBLISH properties in a {@code MessageStored} record's opaque property block, as
 * the tools print them. The block is the PUBLISH property encoding (MQTT 5 section 3.3.2.3), which
 * storage keeps opaque; it is decoded by cairn-protocol's {@link PropertyDecoder}, the decoder the
 * broker itself reads it back with, so the tools cannot disagree with the broker about it.
 */
public final class PropertiesJson {
    private PropertiesJson() {}

    /**
     * A stored block as a JSON object (see {@link #toJson(Properties)}).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static String decode(byte[] block) {
        return toJson(PropertyDecoder.decodeBlock(block));
    }

    /**
     * The PUBLISH properties as a JSON object, binary values in base64: payloadFormat (0x01),
     * messageExpirySeconds (0x02), contentType, responseTopic, correlationData, subscriptionIds,
     * topicAlias (0x23, never forwarded) and userProperties as [name, value] pairs in order; an
     * absent property is left out.
     */
    public static String toJson(Properties p) {
        Json json = new Json();
        if (p.payloadFormatIndicator() != null) {
            json.field("payloadFormat", p.payloadFormatIndicator());
        }
        if (p.messageExpiryIntervalSeconds() != null) {
            json.field("messageExpirySeconds", p.messageExpiryIntervalSeconds());
        }
        if (p.contentType() != null) {
            json.field("contentType", p.contentType());
        }
        if (p.responseTopic() != null) {
            json.field("responseTopic", p.responseTopic());
        }
        if (p.correlationData() != null) {
            json.field("correlationData", java.util.Base64.getEncoder().encodeToString(p.correlationData()));
        }
        if (!p.subscriptionIdentifiers().isEmpty()) {
            json.raw("subscriptionIds", p.subscriptionIdentifiers().toString().replace(" ", ""));
        }
        if (p.topicAlias() != null) {
            json.field("topicAlias", p.topicAlias());
        }
        if (!p.userProperties().isEmpty()) {
            StringBuilder pairs = new StringBuilder("[");
            for (UserProperty u : p.userProperties()) {
                pairs.append(pairs.length() > 1 ? "," : "")
                        .append('[')
                        .append(Json.quoted(u.name()))
                        .append(',')
                        .append(Json.quoted(u.value()))
                        .append(']');
            }
            json.raw("userProperties", pairs.append(']').toString());
        }
        return json.toString();
    }
}
