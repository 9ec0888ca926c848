/**
 * JMH benchmarks of the MQTT codec: decoding and encoding PUBLISH at several payload sizes and
 * both protocol versions.
 *
 * <p>Threads: each benchmark state is owned by one JMH worker thread ({@code Scope.Thread}), as
 * the codec is owned by one I/O thread in the broker.
 */
package dev.cairn.benchmarks.codec;
