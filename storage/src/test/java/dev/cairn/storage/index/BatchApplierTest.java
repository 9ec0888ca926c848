package dev.cairn.storage.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.storage.record.SessionExpired;
import dev.cairn.storage.record.SessionOpened;
import dev.cairn.storage.record.Subscribed;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The mutations one batch produces, against an in-memory committed index. The whole-store
 * behaviour (what a clean start removes) is in {@link RocksIndexStoreTest}; this checks that
 * removing a session the index does not hold writes no range tombstones.
 */
class BatchApplierTest {
    private final Map<Cf, Map<ByteBuffer, byte[]>> committed = new HashMap<>();

    private BatchApplier applier() {
        return new BatchApplier(
                (cf, key) -> committed.getOrDefault(cf, Map.of()).get(ByteBuffer.wrap(key)));
    }

    private void commit(BatchApplier applier) {
        for (Mutation m : applier.mutations()) {
            if (m.kind() == Mutation.Kind.PUT) {
                committed.computeIfAbsent(m.cf(), c -> new HashMap<>()).put(ByteBuffer.wrap(m.key()), m.value());
            }
        }
    }

    private static List<Cf> rangeDeletes(BatchApplier applier) {
        return applier.mutations().stream()
                .filter(m -> m.kind() == Mutation.Kind.DELETE_RANGE)
                .map(Mutation::cf)
                .collect(Collectors.toList());
    }

    private static SessionOpened cleanStart(String clientId) {
        return new SessionOpened(clientId, true, 0, 5, 1000, null);
    }

    @Test
    void cleanStartOfAClientTheIndexDoesNotHoldWritesNoRangeTombstones() {
        BatchApplier applier = applier();
        applier.apply(10, cleanStart("new-device"));
        applier.apply(20, new SessionExpired("new-device-never-seen", 2000));

        assertEquals(List.of(), rangeDeletes(applier));
    }

    @Test
    void cleanStartOfAKnownClientDeletesItsKeyRanges() {
        BatchApplier first = applier();
        first.apply(10, IndexTestBase.opened("sensor"));
        first.apply(20, new Subscribed("sensor", "plant/#", 1, 0));
        commit(first);

        BatchApplier second = applier();
        second.apply(30, cleanStart("sensor"));

        assertEquals(List.of(Cf.SUBSCRIPTIONS, Cf.QUEUES, Cf.INBOUND_QOS2), rangeDeletes(second));
    }

    @Test
    void aSessionOpenedEarlierInTheSameBatchIsKnown() {
        BatchApplier applier = applier();
        applier.apply(10, IndexTestBase.opened("sensor"));
        applier.apply(20, new Subscribed("sensor", "plant/#", 1, 0));
        applier.apply(30, new SessionExpired("sensor", 3000));

        assertEquals(List.of(Cf.SUBSCRIPTIONS, Cf.QUEUES, Cf.INBOUND_QOS2), rangeDeletes(applier));
    }
}
