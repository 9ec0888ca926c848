package dev.cairn.broker.acl;

/**
 * One {@code topic} or {@code pattern} line of an ACL file: what it grants or denies, the topic
 * filter it applies to (for a pattern, with {@code %u} and {@code %c} still in it) and the line
 * it came from.
 */
public record AclRule(Access access, String filter, int line) {}
