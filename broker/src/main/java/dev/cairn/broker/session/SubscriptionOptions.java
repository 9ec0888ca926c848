package dev.cairn.broker.session;

import dev.cairn.broker.codec.QoS;
import dev.cairn.broker.codec.RetainHandling;

/**
 * The options one subscription was made with (MQTT 5 section 3.8.3.1), plus its Subscription
 * Identifier (0 when none). 3.1.1 subscriptions use the defaults for everything but QoS.
 */
public record SubscriptionOptions(
        QoS qos, boolean noLocal, boolean retainAsPublished, RetainHandling retainHandling, int subscriptionId) {}
