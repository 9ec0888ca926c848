/**
 * The broker's logging back end: slf4j-simple, with loggers whose level can change while the
 * broker runs ({@code log_level}, reloaded on SIGHUP). ADR 0024 says why and how.
 */
package dev.cairn.broker.logging;
