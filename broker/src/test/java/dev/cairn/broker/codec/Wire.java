package dev.cairn.broker.codec;

import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** Test helpers: hex conversion, framing whole packets, and a structural description of packets. */
final class Wire {
    private Wire() {}

    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }

    static byte[] encode(Packet packet, ProtocolVersion version) {
        ByteBuf out = Unpooled.buffer();
        PacketEncoder.encode(packet, version, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /**
     * Splits a whole packet into fixed header byte and body, as the frame decoder would, and
     * decodes the body. Fails the test if the remaining length does not match the bytes given,
     * which catches mistakes in hand-written hex.
     */
    static Object decode(Role role, byte[] packet, ProtocolVersion version) {
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        int fixedHeader = buf.readUnsignedByte();
        int remainingLength = 0;
        for (int shift = 0; ; shift += 7) {
            int b = buf.readUnsignedByte();
            remainingLength |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (remainingLength != buf.readableBytes()) {
            throw new AssertionError("remaining length " + remainingLength + " but " + buf.readableBytes()
                    + " body bytes in " + hex(packet));
        }
        return new PacketDecoder(role).decode(fixedHeader, buf, version);
    }

    /**
     * A canonical text of a packet (or any part of one) with byte arrays in hex and every
     * Properties getter listed, since records compare arrays and Properties by identity.
     */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[]) {
            return "0x" + HexFormat.of().formatHex((byte[]) value);
        }
        if (value instanceof List) {
            return ((List<?>) value).stream().map(Wire::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Properties) {
            return describeProperties((Properties) value);
        }
        if (value instanceof Record) {
            return describeRecord((Record) value);
        }
        return String.valueOf(value);
    }

    private static String describeRecord(Record record) {
        StringBuilder text = new StringBuilder(record.getClass().getSimpleName()).append('(');
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            text.append(component.getName())
                    .append('=')
                    .append(describe(invoke(component.getAccessor(), record)))
                    .append(' ');
        }
        return text.append(')').toString();
    }

    private static String describeProperties(Properties properties) {
        return Arrays.stream(Properties.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getParameterCount() == 0)
                .filter(m -> !m.getName().equals("toBuilder") && !m.getName().equals("isEmpty"))
                .sorted(Comparator.comparing(Method::getName))
                .map(m -> m.getName() + "=" + describe(invoke(m, properties)))
                .collect(Collectors.joining(" ", "{", "}"));
    }

    private static Object invoke(Method method, Object target) {
        try {
            return method.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
