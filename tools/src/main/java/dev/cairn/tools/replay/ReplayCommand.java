package dev.cairn.tools.replay;

import dev.cairn.protocol.Properties;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.storage.journal.Journal;
import dev.cairn.storage.journal.JournalReader;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.RecordType;
import dev.cairn.tools.DataDirectory;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.Progress;
import dev.cairn.tools.TimeArgument;
import dev.cairn.tools.TopicArgument;
import dev.cairn.tools.journal.FrameClassifier;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code replay}: re-publishes stored messages to a live broker. Reads the journal read-only, so
 * the source may be the directory of a running broker (even the one it publishes to: what it
 * publishes then lands after the replayed range).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Re-publish MessageStored records to a live broker over MQTT, with their QoS and (MQTT 5)"
                    + " their properties: payload format, content type, response topic, correlation data, user"
                    + " properties, and the message expiry left (expired messages are skipped unless --include-expired)."
                    + " The retain flag is stripped unless --retain keep; with strip, records that cleared a retained"
                    + " message (retained, empty payload) are skipped. Read-only on the journal."
        })
public final class ReplayCommand implements Callable<Integer> {
    /** What to do with the stored retain flag. */
    enum Retain {
        KEEP,
        STRIP
    }

    @Mixin
    DataDirectory dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Broker host (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "1883", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--client-id",
            paramLabel = "ID",
            description = "Client id replay connects with (default:"
                    + " cairn-replay-<pid>). It connects with a clean start and no session.")
    String clientId;

    @Option(
            names = "--protocol",
            defaultValue = "5",
            paramLabel = "3|5",
            description = "MQTT 5 (default; properties kept) or 3 (3.1.1; properties dropped).")
    int protocol;

    @Option(
            names = "--publisher",
            paramLabel = "ID",
            description = "Only messages published by this client" + " (repeatable).")
    List<String> publishers;

    @Option(
            names = "--topic",
            paramLabel = "FILTER",
            converter = TopicArgument.class,
            description = "Only messages whose topic matches this MQTT filter.")
    TopicFilter topic;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = TimeArgument.class,
            description = "Only messages received at or after TIME (ISO-8601 or epoch ms).")
    Long sinceMillis;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            converter = TimeArgument.class,
            description = "Only messages received before TIME (ISO-8601 or epoch ms).")
    Long untilMillis;

    @Option(names = "--from-position", paramLabel = "POS", description = "First position (inclusive).")
    Long fromPosition;

    @Option(names = "--to-position", paramLabel = "POS", description = "Last position (inclusive).")
    Long toPosition;

    @Option(
            names = "--retain",
            paramLabel = "keep|strip",
            defaultValue = "strip",
            description = "Keep or strip the stored retain flag (default: ${DEFAULT-VALUE}).")
    Retain retain;

    @Option(
            names = "--include-expired",
            description = "Also publish messages whose expiry has passed (with no expiry).")
    boolean includeExpired;

    @Option(
            names = "--rate",
            paramLabel = "MSGS_PER_S",
            defaultValue = "0",
            description = "Publish at most this many messages per second (0: no limit, the default).")
    double rate;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Connect and acknowledgement timeout (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--dry-run", description = "Print what would be published; connect to nothing.")
    boolean dryRun;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (protocol != 3 && protocol != 5) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--protocol must be 3 or 5, was " + protocol);
        }
        if (rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must not be negative");
        }
        ReplaySelection selection =
                new ReplaySelection(publishers, topic, sinceMillis, untilMillis, retain == Retain.KEEP, includeExpired);
        PrintWriter out = spec.commandLine().getOut();
        try (JournalReader reader = JournalReader.open(dataDir.journal());
                ReplayTarget target = dryRun ? new DryRunTarget(out) : connect()) {
            long from = fromPosition == null ? Journal.NO_POSITION : fromPosition;
            long start = from == Journal.NO_POSITION ? reader.firstPosition() : from;
            long end = toPosition == null ? reader.lastPosition() + 1 : toPosition + 1;
            Progress progress = dryRun
                    ? Progress.start("replay", 0, spec.commandLine().getErr(), Progress.Mode.OFF, 0)
                    : Progress.start(
                            "replay",
                            start < 0 ? 0 : reader.documentCount(start, end),
                            spec.commandLine().getErr());
            Pacer pacer = new Pacer(rate);
            FrameClassifier classifier = new FrameClassifier(c -> {
                if (c.bad()) {
                    selection.countDamaged();
                    return;
                }
                if (c.record().type() != RecordType.MESSAGE_STORED) {
                    return;
                }
                ReplayTarget.Outgoing m =
                        selection.select(c.position(), (MessageStored) c.record(), System.currentTimeMillis());
                if (m != null) {
                    pacer.awaitTurn();
                    target.publish(m);
                }
            });
            try (JournalReader.Cursor cursor = reader.cursor(from)) {
                for (JournalReader.Document d = cursor.next(); d != null; d = cursor.next()) {
                    if (toPosition != null && d.position() > toPosition) {
                        break;
                    }
                    classifier.accept(d);
                    progress.advance(1);
                }
            }
            classifier.finish();
            progress.finish();
        } catch (ReplayTarget.ReplayException e) {
            out.println("replay: " + e.getMessage());
            out.println(selection.summary(dryRun, protocol, host + ":" + port));
            out.flush();
            return ExitCode.PROBLEMS;
        }
        out.println(selection.summary(dryRun, protocol, host + ":" + port));
        out.flush();
        return ExitCode.OK;
    }

    private ReplayTarget connect() {
        String id = clientId != null
                ? clientId
                : "cairn-replay-" + ProcessHandle.current().pid();
        return protocol == 5
                ? Mqtt5Target.connect(host, port, id, timeoutSeconds)
                : new PropertyDroppingTarget(Mqtt3Target.connect(host, port, id, timeoutSeconds));
    }

    /** Spaces publishes {@code 1/rate} seconds apart; no limit at rate 0. */
    static final class Pacer {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(double rate) {
            this.intervalNanos = rate <= 0 ? 0 : (long) (1_000_000_000L / rate);
        }

        void awaitTurn() {
            if (intervalNanos == 0) {
                return;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ReplayTarget.ReplayException("interrupted", e);
                }
            }
            next = Math.max(next, System.nanoTime() - intervalNanos) + intervalNanos;
        }
    }

    /** MQTT 3.1.1 has no properties: passes messages on without them, the summary says how many had some. */
    private static final class PropertyDroppingTarget implements ReplayTarget {
        private final ReplayTarget delegate;

        PropertyDroppingTarget(ReplayTarget delegate) {
            this.delegate = delegate;
        }

        @Override
        public void publish(Outgoing m) {
            delegate.publish(
                    new Outgoing(m.position(), m.topic(), m.payload(), m.qos(), m.retain(), Properties.EMPTY, null));
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
