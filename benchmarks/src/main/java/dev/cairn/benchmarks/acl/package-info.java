/**
 * JMH benchmarks of the topic ACL: the cost of one access check against a compiled ACL of
 * realistic size, paid for every PUBLISH (write) and every delivery (read) when an
 * {@code acl_file} is set.
 *
 * <p>Threads: each benchmark state is owned by one JMH worker thread. The generated rules and
 * topics are deterministic (fixed seeds).
 */
package dev.cairn.benchmarks.acl;
