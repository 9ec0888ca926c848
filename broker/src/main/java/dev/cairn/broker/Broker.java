package dev.cairn.broker;

import dev.cairn.broker.config.BrokerConfig;
import dev.cairn.broker.core.Clock;
import dev.cairn.broker.core.CoreLoop;
import dev.cairn.broker.transport.Listener;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: wires the core loop and the listener by hand, starts them, and stops
 * them in order (stop accepting, let the core say goodbye and flush, release the I/O threads).
 * Start and stop from one thread; {@link #port()} from any.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final CoreLoop core;
    private final Listener listener;
    private volatile InetSocketAddress boundAddress;
    private boolean stopped;

    public Broker(BrokerConfig config) {
        this.config = config;
        this.core = new CoreLoop(config, Clock.SYSTEM, Listener.inboxHighDepth());
        this.listener = new Listener(config, core);
    }

    public Broker start() throws InterruptedException {
        core.start();
        boundAddress = listener.start();
        LOG.info("Cairn listening on {}:{} (durability {}, data {})", boundAddress.getHostString(),
                boundAddress.getPort(), config.durability().configName(), config.dataDir());
        return this;
    }

    public int port() {
        return boundAddress.getPort();
    }

    public String host() {
        return boundAddress.getHostString();
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        listener.stopAccepting();
        core.stop();
        listener.shutdown();
        LOG.info("Cairn stopped");
    }
}
