package dev.cairn.benchmarks.storage;

/**
 * The JVM flags every forked benchmark JVM that opens a Chronicle journal needs on Java 17+, as
 * single arguments for {@code @Fork(jvmArgsAppend = {...})}. JMH forks with a plain class path,
 * so the {@code Add-Opens} and {@code Add-Exports} entries in the shaded jar's manifest reach only
 * the launching JVM, never the fork. Annotation values must be compile-time constants, which is
 * why these are separate strings rather than one array or a value read from the build.
 *
 * <p>The first three mirror the parent POM's {@code chronicle.jvm.args} property (ADR 0010 says
 * what breaks without each); change both together. The rest switch off Chronicle's analytics,
 * banner and disk-space monitor thread, and hide its INFO lines, so that no background work of the
 * library lands inside a measurement.
 */
public final class ChronicleJvmFlags {
    /** Without it Chronicle fails with an AssertionError in {@code FileChannelImpl.map0}. */
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    /** Without it the queue silently falls back to read-only and the first append throws. */
    public static final String EXPORT_NIO = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    /** Without it Chronicle works but prints a JUL warning on start. */
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";

    public static final String NO_ANALYTICS = "-Dchronicle.analytics.disable=true";
    public static final String NO_ANNOUNCER = "-Dchronicle.announcer.disable=true";
    public static final String NO_DISK_MONITOR = "-Dchronicle.disk.monitor.disable=true";
    public static final String QUIET_LOG = "-Dorg.slf4j.simpleLogger.log.net.openhft=warn";

    private ChronicleJvmFlags() {}
}
