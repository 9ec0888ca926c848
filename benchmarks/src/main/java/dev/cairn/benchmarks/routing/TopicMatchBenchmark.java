package dev.cairn.benchmarks.routing;

import dev.cairn.broker.routing.MatchVisitor;
import dev.cairn.broker.routing.SharedGroup;
import dev.cairn.broker.routing.SubscriptionTree;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicFilter;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing cost per PUBLISH: finding every subscription whose filter matches the topic in a
 * {@link SubscriptionTree} of 100,000 subscriptions (see {@link SubscriptionGenerator} for their
 * shape: 70% exact, 20% {@code +}, 10% {@code #}, over 20,000 subscribers). Matching runs on the
 * single core thread for every message, so its cost caps the broker's message rate whatever the
 * number of cores. {@link #parseTopic} is the other per-message routing cost, paid once when the
 * PUBLISH arrives: validating the topic and splitting it into levels.
 *
 * <p>Three topic streams, 4,096 topics each, cycled: {@code sensors} (every topic inside the
 * subscribed tree; a few dozen matches each), {@code unmatched} (a tree no filter covers; zero
 * matches, the cost of a miss at the root) and {@code mixed} (three sensor topics to one
 * unmatched). The mean number of matches per topic is logged at setup. The visitor only counts,
 * so the score is the trie walk and the callbacks, not what the broker does with a match.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class TopicMatchBenchmark {
    static final int SUBSCRIPTIONS = 100_000;
    static final int SUBSCRIBERS = 20_000;
    static final int STREAM_LENGTH = 4_096; // A power of two, so the cursor wraps with a mask.
    static final TopicLimits LIMITS = new TopicLimits(65_535, 128);
    private static final Logger LOG = LoggerFactory.getLogger(TopicMatchBenchmark.class);

    /** Counts matches; the benchmark returns the count so the walk cannot be optimised away. */
    static final class CountingVisitor implements MatchVisitor<String, Integer> {
        long matches;

        @Override
        public void onSubscription(String subscriber, TopicFilter filter, Integer options) {
            matches++;
        }

        @Override
        public void onSharedGroup(SharedGroup<String, Integer> group) {
            matches++;
        }
    }

    @State(Scope.Thread)
    public static class Subscriptions {
        @Param({"sensors", "unmatched", "mixed"})
        public String stream;

        final SubscriptionTree<String, Integer> tree = new SubscriptionTree<>();
        final CountingVisitor visitor = new CountingVisitor();
        final TopicName[] topics = new TopicName[STREAM_LENGTH];
        int cursor;

        @Setup(Level.Trial)
        public void build() throws InvalidTopicException {
            SubscriptionGenerator generator = new SubscriptionGenerator(42);
            Integer qos = 1;
            while (tree.size() < SUBSCRIPTIONS) {
                tree.subscribe(
                        generator.nextSubscriber(SUBSCRIBERS), TopicFilter.parse(generator.nextFilter(), LIMITS), qos);
            }
            for (int i = 0; i < STREAM_LENGTH; i++) {
                topics[i] = TopicName.parse(nextTopic(generator, i), LIMITS);
            }
            long before = visitor.matches;
            for (TopicName topic : topics) {
                tree.match(topic, visitor);
            }
            LOG.info(
                    "stream {}: {} subscriptions, mean {} matches per topic",
                    stream,
                    tree.size(),
                    String.format("%.1f", (visitor.matches - before) / (double) STREAM_LENGTH));
        }

        private String nextTopic(SubscriptionGenerator generator, int i) {
            switch (stream) {
                case "sensors":
                    return generator.nextSensorTopic();
                case "unmatched":
                    return generator.nextUnmatchedTopic();
                case "mixed":
                    return i % 4 == 3 ? generator.nextUnmatchedTopic() : generator.nextSensorTopic();
                default:
                    throw new IllegalArgumentException("unknown stream " + stream);
            }
        }
    }

    @State(Scope.Thread)
    public static class TopicStrings {
        final String[] topics = new String[STREAM_LENGTH];
        int cursor;

        @Setup(Level.Trial)
        public void build() {
            SubscriptionGenerator generator = new SubscriptionGenerator(7);
            for (int i = 0; i < STREAM_LENGTH; i++) {
                topics[i] = generator.nextSensorTopic();
            }
        }
    }

    /** One topic matched against all 100,000 subscriptions. */
    @Benchmark
    public long match(Subscriptions state) {
        TopicName topic = state.topics[state.cursor++ & (STREAM_LENGTH - 1)];
        state.tree.match(topic, state.visitor);
        return state.visitor.matches;
    }

    /** Validating a 7-level sensor topic and splitting it into levels. */
    @Benchmark
    public TopicName parseTopic(TopicStrings state) throws InvalidTopicException {
        return TopicName.parse(state.topics[state.cursor++ & (STREAM_LENGTH - 1)], LIMITS);
    }
}
