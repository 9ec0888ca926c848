package dev.cairn.benchmarks.acl;

import dev.cairn.broker.acl.AclFile;
import dev.cairn.broker.acl.TopicAcl;
import dev.cairn.protocol.InvalidTopicException;
import dev.cairn.protocol.TopicLimits;
import dev.cairn.protocol.TopicName;
import java.util.SplittableRandom;
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
 * ACL cost per PUBLISH: one {@link TopicAcl#canWrite} (the check every PUBLISH pays) or
 * {@link TopicAcl#canRead} (the check every delivery pays) against an ACL file of 10,000 rules,
 * compiled once as the broker compiles it. The rules model a plant with 1,000 users (a line
 * operator each: read on their line, write on their line's setpoints, deny on one sensor's
 * calibration topics, plus a few more grants, 9 rules each) and 1,000 patterns ({@code %u} and
 * {@code %c} under per-site prefixes). The checked topics are setpoint, sensor, calibration and
 * device topics of random users, three in four on the user's own line, so some checks are
 * granted, some hit a deny rule and some match nothing; the share allowed is logged at setup. A per-message scan of the rules would cost in proportion to the 10,000 rules;
 * the tries cost in proportion to the topic's depth and the rules that match it.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class AclCheckBenchmark {
    static final int USERS = 1_000;
    static final int RULES_PER_USER = 9;
    static final int PATTERNS = 1_000;
    static final int SITES = 100;
    static final int LINES_PER_SITE = 20;
    static final int STREAM_LENGTH = 4_096; // A power of two, so the cursor wraps with a mask.
    private static final Logger LOG = LoggerFactory.getLogger(AclCheckBenchmark.class);

    @State(Scope.Thread)
    public static class Rules {
        @Param({"write", "read"})
        public String check;

        TopicAcl acl;
        final String[] users = new String[STREAM_LENGTH];
        final String[] clientIds = new String[STREAM_LENGTH];
        final TopicName[] topics = new TopicName[STREAM_LENGTH];
        int cursor;

        @Setup(Level.Trial)
        public void build() throws InvalidTopicException {
            SplittableRandom random = new SplittableRandom(42);
            StringBuilder text = new StringBuilder();
            for (int u = 0; u < USERS; u++) {
                int site = u % SITES;
                int line = (u / SITES) % LINES_PER_SITE;
                String prefix = "site/" + site + "/line/" + line;
                text.append("user operator").append(u).append('\n');
                text.append("topic read ").append(prefix).append("/#\n");
                text.append("topic write ").append(prefix).append("/setpoint/+\n");
                text.append("topic deny ").append(prefix).append("/sensor/0/calibration/#\n");
                text.append("topic read site/").append(site).append("/alarms/+\n");
                text.append("topic readwrite chat/").append(site).append("/operators\n");
                text.append("topic write site/")
                        .append(site)
                        .append("/log/operator")
                        .append(u)
                        .append('\n');
                text.append("topic read ").append(prefix).append("/status\n");
                text.append("topic read ").append(prefix).append("/sensor/+/summary\n");
                text.append("topic read announcements/#\n");
            }
            for (int p = 0; p < PATTERNS; p++) {
                String site = "site/" + (p % SITES);
                text.append(
                        switch (p % 4) {
                            case 0 -> "pattern readwrite " + site + "/devices/%c/#\n";
                            case 1 -> "pattern read " + site + "/inbox/%u/+\n";
                            case 2 -> "pattern write " + site + "/presence/%c\n";
                            default -> "pattern read " + site + "/reports/" + p + "/%u\n";
                        });
            }
            AclFile file = AclFile.parse(text.toString(), "generated");
            acl = TopicAcl.compile(file);
            TopicLimits limits = TopicLimits.PROTOCOL;
            for (int i = 0; i < STREAM_LENGTH; i++) {
                int u = random.nextInt(USERS);
                users[i] = "operator" + u;
                clientIds[i] = "device-" + u;
                // Mostly the user's own line, where the grants and the deny rules are; a quarter
                // elsewhere, where only a pattern or nothing applies.
                boolean own = random.nextInt(4) != 0;
                int site = own ? u % SITES : random.nextInt(SITES);
                int line = own ? (u / SITES) % LINES_PER_SITE : random.nextInt(LINES_PER_SITE);
                String prefix = "site/" + site + "/line/" + line;
                String topic = switch (random.nextInt(4)) {
                    case 0 -> prefix + "/setpoint/speed";
                    case 1 -> prefix + "/sensor/" + random.nextInt(4) + "/calibration/offset";
                    case 2 -> "site/" + site + "/devices/" + clientIds[i] + "/state";
                    default -> prefix + "/sensor/" + random.nextInt(100) + "/temp";
                };
                topics[i] = TopicName.parse(topic, limits);
            }
            int allowed = 0;
            for (int i = 0; i < STREAM_LENGTH; i++) {
                allowed += check(i) ? 1 : 0;
            }
            LOG.info(
                    "{} rules compiled; {} check: {}% of the {} topics allowed",
                    acl.ruleCount(), check, allowed * 100 / STREAM_LENGTH, STREAM_LENGTH);
        }

        boolean check(int i) {
            return check.equals("write")
                    ? acl.canWrite(users[i], clientIds[i], topics[i])
                    : acl.canRead(users[i], clientIds[i], topics[i]);
        }
    }

    /** One access check of one client on one topic against the 10,000 compiled rules. */
    @Benchmark
    public boolean check(Rules state) {
        return state.check(state.cursor++ & (STREAM_LENGTH - 1));
    }
}
