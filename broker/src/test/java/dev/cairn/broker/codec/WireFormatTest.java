package dev.cairn.broker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.protocol.StrictUtf8;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: the data types of section 1.5 are read and written exactly as specified at their
 * boundaries. Method: the variable byte integer examples of table 1-1 (and one past each),
 * and UTF-8 cases the spec calls out: BOM kept, supplementary characters and U+FFFF accepted.
 */
class WireFormatTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0, 00",
        "127, 7F",
        "128, 80 01",
        "16383, FF 7F",
        "16384, 80 80 01",
        "2097151, FF FF 7F",
        "2097152, 80 80 80 01",
        "268435455, FF FF FF 7F"
    })
    void variableByteIntegersUseTheMinimalEncodingOfTable1_1(int value, String hex) {
        ByteBuf out = Unpooled.buffer();

        WireWriter.writeVariableByteInteger(out, value);

        byte[] written = new byte[out.readableBytes()];
        out.getBytes(0, written);
        assertEquals(hex, Wire.hex(written));
        assertEquals(written.length, WireWriter.variableByteIntegerSize(value));
        assertEquals(value, reader(hex).readVariableByteInteger("test"));
    }

    @Test
    void variableByteIntegerAboveTheMaximumIsABugInTheCaller() {
        assertThrows(IllegalArgumentException.class, () -> WireWriter.variableByteIntegerSize(268_435_456));
        assertThrows(IllegalArgumentException.class, () -> WireWriter.writeVariableByteInteger(Unpooled.buffer(), -1));
    }

    @Test
    void byteOrderMarkIsKeptNotSkipped() {
        // [MQTT-1.5.4-3]: EF BB BF is U+FEFF and must not be stripped by the receiver.
        assertEquals("\uFEFFa", reader("00 04 EF BB BF 61").readUtf8String("test"));
    }

    @Test
    void supplementaryCharactersAndNoncharactersAreAccepted() {
        // U+1F600 as F0 9F 98 80, then U+FFFF as EF BF BF, which the spec lets through.
        assertEquals("\uD83D\uDE00\uFFFF", reader("00 07 F0 9F 98 80 EF BF BF").readUtf8String("test"));
    }

    @Test
    void stringsRoundTripThroughWriterAndReader() {
        String text = "sensor/ä/€/\uD83D\uDE00";
        ByteBuf out = Unpooled.buffer();

        WireWriter.writeUtf8String(out, text);

        assertEquals(WireWriter.utf8StringSize(text), out.readableBytes());
        assertEquals(text, new WireReader(out, new StrictUtf8()).readUtf8String("test"));
    }

    @Test
    void stringLongerThan65535BytesIsABugInTheCaller() {
        assertThrows(IllegalArgumentException.class, () -> WireWriter.utf8StringSize("x".repeat(65_536)));
    }

    private static WireReader reader(String hex) {
        return new WireReader(Unpooled.wrappedBuffer(Wire.hex(hex)), new StrictUtf8());
    }
}
