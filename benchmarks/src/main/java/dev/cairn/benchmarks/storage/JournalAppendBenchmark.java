package dev.cairn.benchmarks.storage;

import dev.cairn.storage.journal.ChronicleJournal;
import dev.cairn.storage.journal.JournalRollCycle;
import dev.cairn.storage.journal.SyncPolicy;
import dev.cairn.storage.record.MessageStored;
import dev.cairn.storage.record.Recipient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one journal record costs, and how much of that is the sync. Every QoS 1/2 PUBLISH the
 * broker accepts becomes a {@code MessageStored} append, and under {@code durability=fsync} no
 * PUBACK leaves before a sync covers it, so these two numbers bound the broker's durable
 * throughput: {@link #append_process} is the ceiling with no sync at all (the {@code process}
 * policy, which survives kill -9 only), and {@link #appendSyncEvery_fsync} shows how group commit
 * buys it back: one sync every K records, as the core loop does once per batch.
 *
 * <p>Both report records per second (one operation is one append; the sync cost is spread over
 * its K records). The record is a 100-byte QoS 1 message for one recipient, roughly what a small
 * sensor PUBLISH becomes. Each measurement iteration gets a fresh journal in a new temporary
 * directory (deleted afterwards), so disk use is bounded by one iteration and no run inherits
 * another's pre-grown files.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            ChronicleJvmFlags.OPEN_REFLECT,
            ChronicleJvmFlags.EXPORT_NIO,
            ChronicleJvmFlags.EXPORT_REF,
            ChronicleJvmFlags.NO_ANALYTICS,
            ChronicleJvmFlags.NO_ANNOUNCER,
            ChronicleJvmFlags.NO_DISK_MONITOR,
            ChronicleJvmFlags.QUIET_LOG
        })
public class JournalAppendBenchmark {
    static final int PAYLOAD_BYTES = 100;

    /** The record appended by every operation; immutable, so it is built once. */
    static MessageStored sampleRecord() {
        return new MessageStored(
                "publisher-1",
                "site/3/line/7/sensor/42/temp",
                1,
                false,
                new byte[0],
                new byte[PAYLOAD_BYTES],
                1_764_000_000_000L,
                -1L,
                List.of(new Recipient("subscriber-1", 1, false, new int[0])));
    }

    /** A journal in a fresh directory per iteration, owned by the benchmark thread. */
    abstract static class OpenJournal {
        final MessageStored record = sampleRecord();
        ScratchDirectory directory;
        ChronicleJournal journal;

        void open(SyncPolicy policy) {
            directory = ScratchDirectory.create("cairn-jmh-journal-");
            journal = ChronicleJournal.open(directory.path().resolve("journal"), policy, JournalRollCycle.HOURLY);
            // The first append creates the appender and the cycle file (tens of milliseconds of
            // pre-growing and mapping); do it here so that no measurement pays for it.
            journal.append(record);
            journal.sync();
        }

        @TearDown(Level.Iteration)
        public void close() {
            journal.close();
            directory.close();
        }
    }

    @State(Scope.Thread)
    public static class ProcessJournal extends OpenJournal {
        @Setup(Level.Iteration)
        public void open() {
            open(SyncPolicy.PROCESS);
        }
    }

    @State(Scope.Thread)
    public static class FsyncJournal extends OpenJournal {
        /** K: records appended per sync. */
        @Param({"1", "10", "100", "1000"})
        public int syncEveryRecords;

        private int unsyncedRecords;

        @Setup(Level.Iteration)
        public void open() {
            open(SyncPolicy.FSYNC);
            unsyncedRecords = 0;
        }
    }

    /** Append only: the journal's raw speed into the page cache, no msync, no fsync. */
    @Benchmark
    public long append_process(ProcessJournal state) {
        return state.journal.append(state.record);
    }

    /** Append, and after every K-th append sync (msync plus fsync of the cycle file). */
    @Benchmark
    public long appendSyncEvery_fsync(FsyncJournal state) {
        long position = state.journal.append(state.record);
        if (++state.unsyncedRecords == state.syncEveryRecords) {
            state.journal.sync();
            state.unsyncedRecords = 0;
        }
        return position;
    }
}
