package dev.cairn.tools.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.storage.TempStore;
import dev.cairn.storage.record.PositionedRecord;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.SessionOwner;
import dev.cairn.tools.ExitCode;
import dev.cairn.tools.ToolRun;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: verify checks that each session's owner in the index (username and listener, by which
 * the broker's topic ACL judges its will after a restart) is the one its last {@code
 * SessionOpened} in the journal names, and names both when they differ. Method: journals and
 * indexes written through the real storage ({@link TempStore}); a mismatch is planted by applying
 * to the index a {@code SessionOpened} other than the one the journal holds at that position,
 * then {@code verify}.
 */
class VerifySessionOwnersTest {
    private static final long T = 1_767_225_600_000L;

    @TempDir
    Path dir;

    private static SessionOpened opened(String clientId, SessionOwner owner) {
        return new SessionOpened(clientId, false, 3600, 5, T, null, owner);
    }

    @Test
    void ownersThatMatchTheLastSessionOpenedVerify() {
        try (TempStore store = TempStore.open(dir)) {
            store.commit(List.of(
                    opened("d1", new SessionOwner("ursula", "plant")),
                    opened("d2", new SessionOwner(null, "default")),
                    opened("d3", null)));
            // d1 connects again as someone else on another listener: the last one counts.
            store.commit(List.of(opened("d1", new SessionOwner("victor", "office"))));
        }

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
        assertTrue(run.out().contains("OK: no problems found"), run.out());
    }

    @Test
    void anIndexOwnerOtherThanTheJournalsIsReportedWithBoth() {
        long user;
        long listener;
        long unknown;
        try (TempStore store = TempStore.open(dir)) {
            user = plant(store, opened("d1", new SessionOwner("ursula", "plant")), new SessionOwner("victor", "plant"));
            listener = plant(store, opened("d2", new SessionOwner(null, "plant")), new SessionOwner(null, "office"));
            unknown = plant(store, opened("d3", new SessionOwner("ursula", "plant")), null);
        }

        ToolRun run = ToolRun.run("verify", "--data-dir", dir);

        assertEquals(ExitCode.PROBLEMS, run.exitCode(), run.toString());
        for (String problem : List.of(
                "PROBLEM at position " + user + ": session 'd1' is owned by user 'victor' on listener 'plant' in the"
                        + " index, but its last SessionOpened names user 'ursula' on listener 'plant'",
                "PROBLEM at position " + listener + ": session 'd2' is owned by no username (anonymous) on listener"
                        + " 'office' in the index, but its last SessionOpened names no username (anonymous) on"
                        + " listener 'plant'",
                "PROBLEM at position " + unknown + ": session 'd3' is owned by an owner not known in the index,"
                        + " but its last SessionOpened names user 'ursula' on listener 'plant'")) {
            assertTrue(run.out().contains(problem), () -> "expected: " + problem + "\n" + run);
        }
        assertTrue(run.out().contains("FAILED: 3 problem(s) found"), run.out());
    }

    /**
     * Journals {@code inJournal} and applies to the index the same SessionOpened with {@code
     * inIndex} as its owner; returns its position.
     */
    private static long plant(TempStore store, SessionOpened inJournal, SessionOwner inIndex) {
        long position = store.appendAndSync(List.of(inJournal)).get(0).position();
        store.store().index().apply(List.of(new PositionedRecord(position, opened(inJournal.clientId(), inIndex))));
        return position;
    }
}
