package dev.cairn.storage.journal;

import java.io.File;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.openhft.posix.MAdviseFlag;
import net.openhft.posix.Mapping;
import net.openhft.posix.PosixAPI;
import net.openhft.posix.ProcMaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Advises the kernel about the memory mappings of the cycle file being appended to:
 * {@code MADV_NOHUGEPAGE} and {@code MADV_RANDOM} (ADR 0006). Every {@code fdatasync} write-protects
 * the pages it wrote back, so the next append faults them writable again; with readahead the
 * page cache holds the file in large folios that the kernel maps whole and must split on each such
 * write fault, with a TLB flush. Without readahead on the appended mapping the faults stay small:
 * QoS 1 under {@code fsync} went from about 53,000 to 74,000 msgs/s on the benchmark machine.
 * Chronicle maps a file chunk by chunk as it grows, so the advisor looks for new mappings of the
 * current file in {@code /proc/self/maps} when the cycle changes and every 65,536 appends.
 * Reads of older cycles (queued messages) keep their readahead. Where the calls are not available
 * (not Linux, no native access) it logs once and does nothing: the advice changes speed, never
 * what is durable. Owner thread only.
 */
final class AppendMappingAdvisor {
    private static final Logger LOG = LoggerFactory.getLogger(AppendMappingAdvisor.class);
    /** Appends between two looks for new mappings: a look reads /proc/self/maps (about 1 ms). */
    private static final int CHECK_EVERY_APPENDS = 65_536;

    private Set<String> advised = new HashSet<>();
    private int appendsSinceCheck;
    private boolean disabled;

    /** Called after each append ({@code newCycle}: it started a cycle); whether to {@link #advise} now. */
    boolean due(boolean newCycle) {
        if (disabled || (!newCycle && ++appendsSinceCheck < CHECK_EVERY_APPENDS)) {
            return false;
        }
        appendsSinceCheck = 0;
        return true;
    }

    /** Advises the mappings of {@code file}, the cycle file being appended to, not advised yet. */
    void advise(File file) {
        try {
            String path = file.getAbsolutePath();
            List<Mapping> mappings = ProcMaps.forSelf().findAll(m -> path.equals(m.path()));
            Set<String> current = new HashSet<>();
            for (Mapping m : mappings) {
                String key = m.addr() + ":" + m.length() + ":" + m.offset() + ":" + m.inode();
                current.add(key);
                if (!advised.contains(key)) {
                    advise(m, MAdviseFlag.MADV_NOHUGEPAGE);
                    advise(m, MAdviseFlag.MADV_RANDOM);
                }
            }
            advised = current;
        } catch (Exception | LinkageError e) {
            disabled = true;
            LOG.info(
                    "journal mapping advice unavailable ({}); appends work as before, with more page-fault cost"
                            + " under durability fsync",
                    e.toString());
        }
    }

    private void advise(Mapping m, MAdviseFlag flag) {
        int rc = PosixAPI.posix().madvise(m.addr(), m.length(), flag);
        if (rc != 0 && !disabled) {
            disabled = true;
            LOG.info("madvise {} on the journal mapping {} returned {}; journal mapping advice off", flag, m, rc);
        }
    }
}
