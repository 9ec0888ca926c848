package dev.cairn.broker.codec;

/**
 * The MQTT 5 subscription options byte (section 3.8.3.1): Maximum QoS in bits 0-1, No Local in
 * bit 2, Retain As Published in bit 3, Retain Handling in bits 4-5, bits 6-7 reserved. The one
 * definition of the layout, behind {@link SubscriptionOptions#toByte} and
 * {@link SubscriptionOptions#fromByte} (the wire's and the journal's form) and the SUBSCRIBE
 * decoder, which tells a malformed byte from a Protocol Error with it. The readers return null for the values 3 that QoS and
 * Retain Handling do not have, and leave judging them to the caller.
 */
final class SubscriptionOptionsByte {
    /** Bits 6-7, reserved: set is malformed [MQTT-3.8.3-5]. */
    static final int RESERVED_BITS = 0xC0;

    private static final int NO_LOCAL = 0b0100;
    private static final int RETAIN_AS_PUBLISHED = 0b1000;
    private static final int RETAIN_HANDLING_SHIFT = 4;

    private SubscriptionOptionsByte() {}

    static int encode(QoS maxQos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling) {
        return maxQos.value()
                | (noLocal ? NO_LOCAL : 0)
                | (retainAsPublished ? RETAIN_AS_PUBLISHED : 0)
                | (retainHandling.value() << RETAIN_HANDLING_SHIFT);
    }

    /** The Maximum QoS, or null for 3. */
    static QoS maxQos(int options) {
        return QoS.fromValue(options & 0b11);
    }

    static boolean noLocal(int options) {
        return (options & NO_LOCAL) != 0;
    }

    static boolean retainAsPublished(int options) {
        return (options & RETAIN_AS_PUBLISHED) != 0;
    }

    /** The Retain Handling option, or null for 3. */
    static RetainHandling retainHandling(int options) {
        return RetainHandling.fromValue((options >> RETAIN_HANDLING_SHIFT) & 0b11);
    }
}
