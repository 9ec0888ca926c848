package dev.cairn.broker.codec;

/**
 * The options of one subscription (MQTT 5.0 section 3.8.3.1) and its Subscription Identifier:
 * the one type for them from the decoded SUBSCRIBE entry ({@link Packet.Subscription}) through
 * the session's subscription tree and routing to the journal. It lives in {@code codec} because
 * the packet model needs it and {@code codec} sees nothing of the core; every other package may
 * see {@code codec}.
 *
 * <p>{@code qos} is the Maximum QoS: the one a client asked for in a decoded entry, the one
 * granted once the core has applied {@code qos_max} ({@link #withQos}). {@code subscriptionId}
 * is the Subscription Identifier of the SUBSCRIBE that made the subscription, 0 when it had
 * none: on the wire it is a property of the whole packet, associated with every subscription
 * the packet makes (MQTT 5.0 section 3.8.2.1.2), so the decoder copies it into every entry and
 * the encoder writes the packet's properties, not this field. 3.1.1 subscriptions have the
 * defaults for everything but QoS.
 *
 * <p>{@link #toByte} and {@link #fromByte} are the options byte of the wire, which is also
 * the journal's stored form (storage keeps it as an opaque byte).
 */
public record SubscriptionOptions(
        QoS qos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling, int subscriptionId) {

    /** A 3.1.1 subscription, or a 5.0 one with the default options and no identifier. */
    public static SubscriptionOptions of(QoS qos) {
        return new SubscriptionOptions(qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }

    /** These options with another Maximum QoS, e.g. the granted one. */
    public SubscriptionOptions withQos(QoS granted) {
        return new SubscriptionOptions(granted, noLocal, retainAsPublished, retainHandling, subscriptionId);
    }

    /** The MQTT 5 subscription options byte of these options (section 3.8.3.1). */
    public int toByte() {
        return SubscriptionOptionsByte.encode(qos, noLocal, retainAsPublished, retainHandling);
    }

    /**
     * The options an options byte and a Subscription Identifier stand for.
     *
     * @throws IllegalArgumentException if the byte has reserved bits set, QoS 3 or Retain Handling 3
     */
    public static SubscriptionOptions fromByte(int optionsByte, int subscriptionId) {
        QoS qos = SubscriptionOptionsByte.maxQos(optionsByte);
        RetainHandling handling = SubscriptionOptionsByte.retainHandling(optionsByte);
        if ((optionsByte & ~0xFF) != 0
                || (optionsByte & SubscriptionOptionsByte.RESERVED_BITS) != 0
                || qos == null
                || handling == null) {
            throw new IllegalArgumentException(
                    "subscription options byte 0x" + Integer.toHexString(optionsByte) + " is invalid");
        }
        return new SubscriptionOptions(
                qos,
                SubscriptionOptionsByte.noLocal(optionsByte),
                SubscriptionOptionsByte.retainAsPublished(optionsByte),
                handling,
                subscriptionId);
    }
}
