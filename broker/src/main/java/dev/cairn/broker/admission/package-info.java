/**
 * Which new sockets a listener takes, apart from the sockets themselves: {@link
 * dev.cairn.broker.admission.AcceptLimits} judges a listener's {@code connections_max} and
 * {@code connections_per_second_per_address} at accept, counts and logs (rate-limited) what it
 * refuses. The transport asks it before it builds a channel's pipeline.
 */
package dev.cairn.broker.admission;
