/**
 * JMH benchmarks of authentication: what verifying one password costs at the PBKDF2 iteration
 * counts weighed for the default of entries Cairn writes.
 *
 * <p>Threads: each benchmark state is owned by one JMH worker thread ({@code Scope.Thread}), as a
 * check is owned by one auth pool thread in the broker.
 */
package dev.cairn.benchmarks.auth;
