package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.PropertyDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * A message's forwardable MQTT 5 properties as one self-contained byte block (property length
 * then the properties, exactly as in a PUBLISH), for storing messages in the journal without the
 * storage layer knowing MQTT. The empty set is the empty array, so 3.1.1 messages cost nothing.
 */
public final class PropertyBlock {
    private static final byte[] EMPTY = new byte[0];

    private PropertyBlock() {}

    public static byte[] encode(Properties properties) {
        if (properties.isEmpty()) {
            return EMPTY;
        }
        ByteBuf buf = Unpooled.buffer(PropertiesCodec.encodedSize(properties));
        PropertiesCodec.write(buf, properties);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /**
     * Decodes a block written by {@link #encode}: {@link PropertyDecoder#decodeBlock}, which the
     * tools use on the same journal.
     *
     * @throws IllegalArgumentException if the bytes are not a valid PUBLISH property block
     */
    public static Properties decode(byte[] block) {
        return PropertyDecoder.decodeBlock(block);
    }
}
