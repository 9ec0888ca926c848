package dev.cairn.broker.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.testing.ChildBroker;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The second half of the offline-subscriber crash scenarios: the persistent subscriber reconnects
 * to the restarted broker, a fence publisher sends one message per topic, which the per-session
 * order [MQTT-4.6.0-6] puts behind everything queued before it, and once every acknowledged id
 * and both fences have arrived the {@link Ledger} checks the promise, plus the QoS each id
 * arrived with.
 */
final class AfterRestart {
    private AfterRestart() {}

    /** Returns the violations, empty if every acknowledged id arrived as promised. */
    static List<String> collect(
            ChildBroker broker,
            PahoSubscriber subscriber,
            RawPublisher fence,
            String q1Topic,
            String q2Topic,
            RawPublisher publisher,
            Duration timeout,
            String context)
            throws Exception {
        Set<String> published = new HashSet<>(publisher.published());
        Set<String> acknowledged = new HashSet<>(publisher.acknowledged());
        assertTrue(subscriber.connect(broker), "the session survived the crash" + context);
        fence.connect(broker);
        fence.publishAndAwait(q1Topic, QoS.AT_LEAST_ONCE, "fence-q1", timeout);
        fence.publishAndAwait(q2Topic, QoS.EXACTLY_ONCE, "fence-q2", timeout);
        Conditions.await(
                () -> subscriber.count("fence-q1") > 0
                        && subscriber.count("fence-q2") > 0
                        && acknowledged.stream().allMatch(id -> subscriber.count(id) > 0),
                timeout,
                "every acknowledged id and both fences" + context,
                () -> subscriber.counts().size() + " distinct ids arrived");
        Set<String> received = new HashSet<>(subscriber.counts().keySet());
        received.remove("fence-q1");
        received.remove("fence-q2");
        List<String> problems = Ledger.check(published, acknowledged, publisher::qosOf, received, subscriber::count);
        problems.addAll(subscriber.violations());
        for (String id : received) {
            QoS sent = publisher.qosOf(id);
            Integer arrived = subscriber.qosOf(id);
            if (sent != null && arrived != null && arrived != sent.value()) {
                problems.add(id + " published at QoS " + sent.value() + " arrived at " + arrived);
            }
        }
        return problems;
    }
}
