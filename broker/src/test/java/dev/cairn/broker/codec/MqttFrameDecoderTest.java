package dev.cairn.broker.codec;

import static dev.cairn.broker.codec.ProtocolVersion.MQTT_3_1_1;
import static dev.cairn.broker.codec.ProtocolVersion.MQTT_5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.protocol.Properties;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Goal: the Netty adapter frames a byte stream correctly however it is split, enforces limits
 * before buffering, stops after the first error, and keeps the negotiated version for the
 * encoder. Method: an EmbeddedChannel with MqttFrameDecoder and MqttPacketEncoder, fed raw bytes.
 */
class MqttFrameDecoderTest {
    private static final int ONE_MEGABYTE = 1024 * 1024;
    private static final String V311_CONNECT = "10 0F 00 04 4D 51 54 54 04 02 00 3C 00 03 61 62 63";
    private static final String V5_CONNECT = "10 10 00 04 4D 51 54 54 05 02 00 3C 00 00 03 61 62 63";
    private static final String PUBLISH_QOS1 = "32 08 00 03 61 2F 62 00 01 7A";
    private static final String PINGREQ = "C0 00";

    private MqttFrameDecoder decoder;
    private EmbeddedChannel channel;

    private void open(Role role, int maxPacketSizeBytes, ProtocolVersion clientVersion) {
        close();
        decoder = new MqttFrameDecoder(role, maxPacketSizeBytes, clientVersion);
        channel = new EmbeddedChannel(decoder, MqttPacketEncoder.INSTANCE);
    }

    private void openServer() {
        open(Role.SERVER, ONE_MEGABYTE, null);
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private void write(String hex) {
        channel.writeInbound(Unpooled.wrappedBuffer(Wire.hex(hex)));
    }

    private List<Object> drainInbound() {
        List<Object> messages = new ArrayList<>();
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound()) {
            messages.add(message);
        }
        return messages;
    }

    private DecodeError readError() {
        return assertInstanceOf(DecodeError.class, channel.readInbound());
    }

    @Test
    void packetsSplitByteByByteAreReassembled() {
        openServer();
        byte[] stream = Wire.hex(V311_CONNECT + " " + PUBLISH_QOS1 + " " + PINGREQ);

        for (byte b : stream) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }

        List<Object> packets = drainInbound();
        assertEquals(3, packets.size(), packets::toString);
        assertInstanceOf(Packet.Connect.class, packets.get(0));
        Packet.Publish publish = assertInstanceOf(Packet.Publish.class, packets.get(1));
        assertEquals("a/b", publish.topic());
        assertEquals(1, publish.packetId());
        assertInstanceOf(Packet.PingReq.class, packets.get(2));
    }

    @Test
    void severalPacketsInOneReadAreAllEmitted() {
        openServer();

        write(V311_CONNECT + " " + PUBLISH_QOS1 + " " + PINGREQ + " " + PUBLISH_QOS1 + " E0 00");

        List<Object> packets = drainInbound();
        assertEquals(5, packets.size(), packets::toString);
        assertInstanceOf(Packet.Disconnect.class, packets.get(4));
        assertEquals(MqttFrameDecoder.State.READ_FIXED_HEADER, decoder.state());
    }

    @Test
    void hugeRemainingLengthIsRejectedAsSoonAsTheLengthIsKnown() {
        openServer();
        write(V5_CONNECT);
        channel.readInbound();

        // 200,000,000 = 0x0BEBC200 as a variable byte integer: 80 84 AF 5F. No body follows.
        write("30 80 84 AF 5F");

        DecodeError error = readError();
        assertEquals(ReasonCode.PACKET_TOO_LARGE, error.reason());
        assertEquals(PacketType.PUBLISH, error.packetType());
        assertEquals(MQTT_5, error.version(), "a 5.0 connection is answered with DISCONNECT 0x95");
        assertEquals(MqttFrameDecoder.State.FAILED, decoder.state());
    }

    @Test
    void packetOfExactlyTheMaximumSizeIsAcceptedAndOneByteMoreIsNot() {
        open(Role.SERVER, 17, null);
        write(V311_CONNECT);
        assertInstanceOf(Packet.Connect.class, channel.readInbound());

        open(Role.SERVER, 16, null);
        write(V311_CONNECT);
        assertEquals(ReasonCode.PACKET_TOO_LARGE, readError().reason());
    }

    @Test
    void fiveByteRemainingLengthIsMalformed() {
        openServer();
        write(V311_CONNECT);
        channel.readInbound();

        write("30 FF FF FF FF");

        assertEquals(ReasonCode.MALFORMED_PACKET, readError().reason());
        assertEquals(MqttFrameDecoder.State.FAILED, decoder.state());
    }

    @Test
    void nonMinimalRemainingLengthIsMalformed() {
        openServer();
        write(V311_CONNECT);
        channel.readInbound();

        write("C0 80 00");

        DecodeError error = readError();
        assertEquals(ReasonCode.MALFORMED_PACKET, error.reason());
        assertTrue(error.message().contains("[MQTT-1.5.5-1]"), error.message());
    }

    @Test
    void inputAfterAnErrorIsDiscarded() {
        openServer();
        write(V311_CONNECT);
        channel.readInbound();

        write("36 05 00 01 61 00 01 " + PINGREQ);
        write(PINGREQ + " " + PUBLISH_QOS1);

        assertEquals(ReasonCode.MALFORMED_PACKET, readError().reason());
        assertNull(channel.readInbound(), "nothing may be decoded after an error");
        assertEquals(MqttFrameDecoder.State.FAILED, decoder.state());
    }

    @Test
    void firstPacketThatIsNotConnectIsAProtocolError() {
        openServer();

        write(PINGREQ);

        DecodeError error = readError();
        assertEquals(ReasonCode.PROTOCOL_ERROR, error.reason());
        assertTrue(error.message().contains("[MQTT-3.1.0-1]"), error.message());
    }

    @Test
    void firstPacketIsRejectedOnItsFixedHeaderWithoutWaitingForTheBody() {
        openServer();

        write("32");

        assertEquals(ReasonCode.PROTOCOL_ERROR, readError().reason());
    }

    @Test
    void secondConnectIsAProtocolError() {
        openServer();
        write(V311_CONNECT);
        channel.readInbound();

        write(V311_CONNECT);

        DecodeError error = readError();
        assertEquals(ReasonCode.PROTOCOL_ERROR, error.reason());
        assertTrue(error.message().contains("[MQTT-3.1.0-2]"), error.message());
    }

    @Test
    void connectSetsTheVersionAttributeAndTheEncoderUsesIt() {
        openServer();
        assertNull(channel.attr(MqttFrameDecoder.PROTOCOL_VERSION).get());

        write(V5_CONNECT);
        channel.readInbound();
        channel.writeOutbound(new Packet.PubAck(10, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY));

        assertEquals(MQTT_5, channel.attr(MqttFrameDecoder.PROTOCOL_VERSION).get());
        assertEquals("40 03 00 0A 10", readOutboundHex(), "5.0 PUBACK carries the reason");
    }

    @Test
    void laterPacketsAreDecodedWithTheNegotiatedVersion() {
        openServer();
        write(V5_CONNECT);
        channel.readInbound();

        // In 5.0 a DISCONNECT may carry a reason; in 3.1.1 this would be malformed.
        write("E0 01 04");

        Packet.Disconnect disconnect = assertInstanceOf(Packet.Disconnect.class, channel.readInbound());
        assertEquals(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, disconnect.reason());
    }

    @Test
    void encoderDefaultsTo311BeforeConnect() {
        openServer();

        channel.writeOutbound(new Packet.PubAck(10, ReasonCode.NO_MATCHING_SUBSCRIBERS, Properties.EMPTY));

        assertEquals("40 02 00 0A", readOutboundHex());
    }

    @Test
    void unsupportedProtocolLevelIsAnsweredWithA311ConnAck() {
        openServer();

        write("10 0F 00 04 4D 51 54 54 09 02 00 3C 00 03 61 62 63");
        DecodeError error = readError();
        channel.writeOutbound(new Packet.ConnAck(false, error.reason(), Properties.EMPTY));

        assertEquals(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, error.reason());
        assertEquals(MQTT_3_1_1, error.version());
        assertEquals("20 02 00 01", readOutboundHex());
    }

    @Test
    void malformedV5ConnectIsAnsweredWithAV5ConnAck() {
        openServer();

        write("10 11 00 04 4D 51 54 54 05 02 00 3C 01 7F 00 03 61 62 63");
        DecodeError error = readError();
        channel.writeOutbound(new Packet.ConnAck(false, error.reason(), Properties.EMPTY));

        assertEquals(ReasonCode.MALFORMED_PACKET, error.reason());
        assertEquals("20 03 00 81 00", readOutboundHex());
    }

    @Test
    void clientRoleUsesItsConfiguredVersionFromTheStart() {
        open(Role.CLIENT, ONE_MEGABYTE, MQTT_5);

        write("20 03 00 00 00 " + "40 03 00 07 10");

        assertEquals(MQTT_5, channel.attr(MqttFrameDecoder.PROTOCOL_VERSION).get());
        assertInstanceOf(Packet.ConnAck.class, channel.readInbound());
        Packet.PubAck pubAck = assertInstanceOf(Packet.PubAck.class, channel.readInbound());
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, pubAck.reason());
    }

    @Test
    void clientRoleRejectsPacketsOnlyAClientSends() {
        open(Role.CLIENT, ONE_MEGABYTE, MQTT_3_1_1);

        write(PINGREQ);

        assertEquals(ReasonCode.PROTOCOL_ERROR, readError().reason());
    }

    @Test
    void encoderAllocatesExactlyTheEncodedSize() {
        openServer();
        Packet publish =
                new Packet.Publish("t/1", QoS.AT_LEAST_ONCE, false, false, 3, Properties.EMPTY, new byte[1000]);

        channel.writeOutbound(publish);

        ByteBuf out = channel.readOutbound();
        try {
            assertEquals(PacketEncoder.encodedSize(publish, MQTT_3_1_1), out.readableBytes());
            assertEquals(out.readableBytes(), out.capacity());
        } finally {
            out.release();
        }
    }

    @Test
    void constructorRejectsInconsistentArguments() {
        assertThrows(IllegalArgumentException.class, () -> new MqttFrameDecoder(Role.SERVER, 1024, MQTT_5));
        assertThrows(IllegalArgumentException.class, () -> new MqttFrameDecoder(Role.CLIENT, 1024, null));
        assertThrows(IllegalArgumentException.class, () -> new MqttFrameDecoder(Role.SERVER, 1, null));
    }

    private String readOutboundHex() {
        ByteBuf out = channel.readOutbound();
        try {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return Wire.hex(bytes);
        } finally {
            out.release();
        }
    }
}
