package dev.cairn.broker.delivery;

/**
 * Whether a message may still go to the session whose queue is being pumped, judged when it is
 * about to be sent rather than when it was queued: the topic ACL may have changed since, and a
 * retained message or a shared subscription's pick reaches a session by another path than its
 * subscription check. A message it refuses leaves the queue as an expired one does. Core thread
 * only.
 */
@FunctionalInterface
public interface ReadCheck {
    /** Every message may go (no ACL in force). */
    ReadCheck ANY = message -> true;

    boolean mayRead(Message message);
}
