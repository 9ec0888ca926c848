/**
 * What the core and the journal measure for the admin listener: counters and histograms that one
 * thread writes (the core) and any other thread reads (the admin listener's HTTP thread), with
 * no lock and no compare-and-set on the writer's side. The core's figures that need a scan of its
 * own state (connections, sessions, queues) are not here: the core copies them into an immutable
 * {@code core.CoreFigures} a few times a second.
 */
package dev.cairn.broker.measure;
