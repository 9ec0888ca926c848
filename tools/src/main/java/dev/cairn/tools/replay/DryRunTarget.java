package dev.cairn.tools.replay;

import dev.cairn.tools.journal.PayloadEncoding;
import dev.cairn.tools.journal.PropertiesJson;
import java.io.PrintWriter;

/** {@code --dry-run}: prints each message replay would publish, one line each. */
final class DryRunTarget implements ReplayTarget {
    private final PrintWriter out;

    DryRunTarget(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void publish(Outgoing m) {
        out.println("would publish position " + m.position() + " topic=" + m.topic() + " qos=" + m.qos() + " retain="
                + m.retain() + " payload=" + m.payload().length + "B"
                + (m.expirySeconds() == null ? "" : " expiry=" + m.expirySeconds() + "s")
                + (m.properties().isEmpty() ? "" : " properties=" + PropertiesJson.toJson(m.properties()))
                + " data=" + PayloadEncoding.BASE64.render(m.payload()));
    }

    @Override
    public void close() {
        out.flush();
    }
}
