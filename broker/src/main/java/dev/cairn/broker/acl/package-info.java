/**
 * Topic access control lists: the {@code acl_file} in mosquitto's syntax ({@link AclFile}),
 * compiled once per load into tries ({@link TopicAcl}) that answer "may this client read, write
 * or subscribe to this topic" without scanning the rules, and the store that holds the rules in
 * force and reloads them ({@link AclStore}).
 *
 * <p>The rules, as mosquitto documents them for its {@code acl_file}: {@code topic} lines before
 * the first {@code user} line apply to clients that sent no username; {@code topic} lines after
 * {@code user NAME} apply to that username; {@code pattern} lines apply to every client, with
 * {@code %u} replaced by its username and {@code %c} by its client id. With an ACL file, whatever
 * is not granted is denied, and a {@code deny} rule that matches wins over every grant. Without
 * one ({@link TopicAcl#ALLOW_ALL}) everything is allowed.
 *
 * <p>Threads: {@link AclFile} and {@link TopicAcl} are immutable once built and may be read by any
 * thread; {@link AclStore#reload} may run on any thread and swaps the rules in force atomically.
 * Imports nothing outside the JDK, cairn-protocol and the logging API.
 */
package dev.cairn.broker.acl;
