package dev.cairn.broker.reload;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts a reload (SIGHUP) re-reads, in the order they registered: the TLS material of each
 * listener first (the broker registers it when it is built), then whatever joins later. One
 * reload at a time; a part that fails keeps its old state and does not stop the others.
 * Register from any thread; {@link #reloadAll} from any thread but the core's.
 */
public final class ReloadRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadRegistry.class);

    private final List<Reloadable> parts = new CopyOnWriteArrayList<>();

    public void register(Reloadable part) {
        parts.add(part);
    }

    public List<Reloadable> parts() {
        return List.copyOf(parts);
    }

    /** Reloads every part in order; returns how many kept their old state. */
    public synchronized int reloadAll() {
        LOG.info("reloading {} part(s)", parts.size());
        int failed = 0;
        for (Reloadable part : parts) {
            boolean ok;
            try {
                ok = part.reload();
            } catch (RuntimeException e) {
                LOG.error("reload of {} failed; it keeps its old state", part.name(), e);
                ok = false;
            }
            if (!ok) {
                failed++;
            }
        }
        if (failed == 0) {
            LOG.info("reload done");
        } else {
            LOG.warn("reload done; {} part(s) kept their old state (see the ERROR lines above)", failed);
        }
        return failed;
    }
}
