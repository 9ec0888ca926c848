package dev.cairn.broker.testing;

import dev.cairn.broker.codec.Packet;
import dev.cairn.broker.codec.ProtocolVersion;
import dev.cairn.broker.codec.ReasonCode;
import dev.cairn.protocol.Properties;

/** The MQTT 5 packets that carry a {@link ScramClient}'s messages (section 4.12). */
public final class ScramPackets {
    private ScramPackets() {}

    /** Authentication Method {@code method} and, unless null, Authentication Data {@code data}. */
    public static Properties auth(String method, byte[] data) {
        Properties.Builder b = Properties.builder().authenticationMethod(method);
        if (data != null) {
            b.authenticationData(data);
        }
        return b.build();
    }

    /** The CONNECT that starts the exchange: clean start, keep alive 60, no user name, the client-first message. */
    public static Packet.Connect connect(ScramClient scram, String clientId) {
        return new Packet.Connect(
                ProtocolVersion.MQTT_5,
                clientId,
                true,
                60,
                null,
                null,
                null,
                auth(scram.method(), scram.clientFirst()));
    }

    /** The AUTH 0x18 answering the server's first AUTH with the client-final message. */
    public static Packet.Auth answer(ScramClient scram, Packet.Auth serverFirst) {
        return new Packet.Auth(
                ReasonCode.CONTINUE_AUTHENTICATION,
                auth(scram.method(), scram.clientFinal(serverFirst.properties().authenticationData())));
    }
}
