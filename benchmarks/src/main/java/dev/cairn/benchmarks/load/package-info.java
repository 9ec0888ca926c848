/**
 * The end-to-end load generator and the side-by-side runner.
 *
 * <p>Owns: an asynchronous MQTT client on Netty ({@code MqttConnection}, using the broker's
 * {@code dev.cairn.broker.codec} for the wire format, over TCP, TLS or WebSockets: {@code Wire}),
 * the scenarios that drive it ({@code StreamingRun}, {@code BacklogRun}, {@code ConnectionsRun},
 * {@code ConnectStormRun}), the run's certificates ({@code BenchPki}), the accounting of what
 * arrived ({@code DeliveryLedger}, {@code SequenceLedger}), broker CPU and memory from /proc
 * ({@code BrokerProcessMonitor}), and the mosquitto-vs-Cairn runner ({@code SideBySide}).
 *
 * <p>Threads: each connection's state belongs to its channel's event loop (few loops, many
 * connections). One controlling thread runs a scenario: it starts publishers, sleeps through
 * warm-up and measurement, and reads results through futures executed on the loops. Ledgers are
 * the only objects touched by several loops (a shared-subscription group) and are synchronized.
 *
 * <p>Invariants: memory is bounded whatever the broker does: publishers never queue more than
 * their window and the socket's high-water mark, and ledgers keep a fixed-size window of seen
 * sequence numbers. Only mains call {@code System.exit}.
 */
package dev.cairn.benchmarks.load;
