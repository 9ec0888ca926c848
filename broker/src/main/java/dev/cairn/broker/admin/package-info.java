/**
 * The HTTP admin listener ({@code admin.bind}, {@code admin.port}): {@code /metrics} in the
 * Prometheus text format, {@code /health/live} and {@code /health/ready} (docs/operations.md,
 * "Metrics and health"; ADR 0018), and the admin API under {@code /api/} (docs/operations.md,
 * "Admin API"; ADR 0021), which asks the core only by submitting commands to its inbox
 * ({@code core.CoreAdmin}) from a thread of its own. The rest runs on its own thread and never calls into the core: it
 * reads what the core publishes for it ({@code core.CoreMeasures}, volatile and single-writer
 * values) and what any thread may read (the file system, the listeners' accept counters, the JVM).
 */
package dev.cairn.broker.admin;
