package dev.cairn.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The MQTT 5 properties of one packet (section 2.2.2), immutable. An absent property is
 * {@code null} (or an empty list); MQTT 3.1.1 packets always carry {@link #EMPTY}. Which
 * properties a packet type may carry is checked by the decoder, not here. Binary values are
 * defensive copies neither way: treat returned arrays as read-only.
 */
public final class Properties {
    public static final Properties EMPTY = new Builder().build();

    private final Integer payloadFormatIndicator;
    private final Long messageExpiryIntervalSeconds;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<Integer> subscriptionIdentifiers;
    private final Long sessionExpiryIntervalSeconds;
    private final String assignedClientIdentifier;
    private final Integer serverKeepAliveSeconds;
    private final String authenticationMethod;
    private final byte[] authenticationData;
    private final Integer requestProblemInformation;
    private final Long willDelayIntervalSeconds;
    private final Integer requestResponseInformation;
    private final String responseInformation;
    private final String serverReference;
    private final String reasonString;
    private final Integer receiveMaximum;
    private final Integer topicAliasMaximum;
    private final Integer topicAlias;
    private final Integer maximumQos;
    private final Integer retainAvailable;
    private final List<UserProperty> userProperties;
    private final Long maximumPacketSizeBytes;
    private final Integer wildcardSubscriptionAvailable;
    private final Integer subscriptionIdentifierAvailable;
    private final Integer sharedSubscriptionAvailable;

    private Properties(Builder b) {
        payloadFormatIndicator = b.payloadFormatIndicator;
        messageExpiryIntervalSeconds = b.messageExpiryIntervalSeconds;
        contentType = b.contentType;
        responseTopic = b.responseTopic;
        correlationData = b.correlationData;
        subscriptionIdentifiers = Collections.unmodifiableList(new ArrayList<>(b.subscriptionIdentifiers));
        sessionExpiryIntervalSeconds = b.sessionExpiryIntervalSeconds;
        assignedClientIdentifier = b.assignedClientIdentifier;
        serverKeepAliveSeconds = b.serverKeepAliveSeconds;
        authenticationMethod = b.authenticationMethod;
        authenticationData = b.authenticationData;
        requestProblemInformation = b.requestProblemInformation;
        willDelayIntervalSeconds = b.willDelayIntervalSeconds;
        requestResponseInformation = b.requestResponseInformation;
        responseInformation = b.responseInformation;
        serverReference = b.serverReference;
        reasonString = b.reasonString;
        receiveMaximum = b.receiveMaximum;
        topicAliasMaximum = b.topicAliasMaximum;
        topicAlias = b.topicAlias;
        maximumQos = b.maximumQos;
        retainAvailable = b.retainAvailable;
        userProperties = Collections.unmodifiableList(new ArrayList<>(b.userProperties));
        maximumPacketSizeBytes = b.maximumPacketSizeBytes;
        wildcardSubscriptionAvailable = b.wildcardSubscriptionAvailable;
        subscriptionIdentifierAvailable = b.subscriptionIdentifierAvailable;
        sharedSubscriptionAvailable = b.sharedSubscriptionAvailable;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding a copy of these properties, to derive a changed set. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.payloadFormatIndicator = payloadFormatIndicator;
        b.messageExpiryIntervalSeconds = messageExpiryIntervalSeconds;
        b.contentType = contentType;
        b.responseTopic = responseTopic;
        b.correlationData = correlationData;
        b.subscriptionIdentifiers.addAll(subscriptionIdentifiers);
        b.sessionExpiryIntervalSeconds = sessionExpiryIntervalSeconds;
        b.assignedClientIdentifier = assignedClientIdentifier;
        b.serverKeepAliveSeconds = serverKeepAliveSeconds;
        b.authenticationMethod = authenticationMethod;
        b.authenticationData = authenticationData;
        b.requestProblemInformation = requestProblemInformation;
        b.willDelayIntervalSeconds = willDelayIntervalSeconds;
        b.requestResponseInformation = requestResponseInformation;
        b.responseInformation = responseInformation;
        b.serverReference = serverReference;
        b.reasonString = reasonString;
        b.receiveMaximum = receiveMaximum;
        b.topicAliasMaximum = topicAliasMaximum;
        b.topicAlias = topicAlias;
        b.maximumQos = maximumQos;
        b.retainAvailable = retainAvailable;
        b.userProperties.addAll(userProperties);
        b.maximumPacketSizeBytes = maximumPacketSizeBytes;
        b.wildcardSubscriptionAvailable = wildcardSubscriptionAvailable;
        b.subscriptionIdentifierAvailable = subscriptionIdentifierAvailable;
        b.sharedSubscriptionAvailable = sharedSubscriptionAvailable;
        return b;
    }

    public boolean isEmpty() {
        return this == EMPTY || toBuilder().isEmpty();
    }

    public Integer payloadFormatIndicator() {
        return payloadFormatIndicator;
    }

    public Long messageExpiryIntervalSeconds() {
        return messageExpiryIntervalSeconds;
    }

    public String contentType() {
        return contentType;
    }

    public String responseTopic() {
        return responseTopic;
    }

    public byte[] correlationData() {
        return correlationData;
    }

    public List<Integer> subscriptionIdentifiers() {
        return subscriptionIdentifiers;
    }

    public Long sessionExpiryIntervalSeconds() {
        return sessionExpiryIntervalSeconds;
    }

    public String assignedClientIdentifier() {
        return assignedClientIdentifier;
    }

    public Integer serverKeepAliveSeconds() {
        return serverKeepAliveSeconds;
    }

    public String authenticationMethod() {
        return authenticationMethod;
    }

    public byte[] authenticationData() {
        return authenticationData;
    }

    public Integer requestProblemInformation() {
        return requestProblemInformation;
    }

    public Long willDelayIntervalSeconds() {
        return willDelayIntervalSeconds;
    }

    public Integer requestResponseInformation() {
        return requestResponseInformation;
    }

    public String responseInformation() {
        return responseInformation;
    }

    public String serverReference() {
        return serverReference;
    }

    public String reasonString() {
        return reasonString;
    }

    public Integer receiveMaximum() {
        return receiveMaximum;
    }

    public Integer topicAliasMaximum() {
        return topicAliasMaximum;
    }

    public Integer topicAlias() {
        return topicAlias;
    }

    public Integer maximumQos() {
        return maximumQos;
    }

    public Integer retainAvailable() {
        return retainAvailable;
    }

    public List<UserProperty> userProperties() {
        return userProperties;
    }

    public Long maximumPacketSizeBytes() {
        return maximumPacketSizeBytes;
    }

    public Integer wildcardSubscriptionAvailable() {
        return wildcardSubscriptionAvailable;
    }

    public Integer subscriptionIdentifierAvailable() {
        return subscriptionIdentifierAvailable;
    }

    public Integer sharedSubscriptionAvailable() {
        return sharedSubscriptionAvailable;
    }

    /** Mutable builder; not thread-safe. Setters return this; null clears a property. */
    public static final class Builder {
        private Integer payloadFormatIndicator;
        private Long messageExpiryIntervalSeconds;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<Integer> subscriptionIdentifiers = new ArrayList<>();
        private Long sessionExpiryIntervalSeconds;
        private String assignedClientIdentifier;
        private Integer serverKeepAliveSeconds;
        private String authenticationMethod;
        private byte[] authenticationData;
        private Integer requestProblemInformation;
        private Long willDelayIntervalSeconds;
        private Integer requestResponseInformation;
        private String responseInformation;
        private String serverReference;
        private String reasonString;
        private Integer receiveMaximum;
        private Integer topicAliasMaximum;
        private Integer topicAlias;
        private Integer maximumQos;
        private Integer retainAvailable;
        private final List<UserProperty> userProperties = new ArrayList<>();
        private Long maximumPacketSizeBytes;
        private Integer wildcardSubscriptionAvailable;
        private Integer subscriptionIdentifierAvailable;
        private Integer sharedSubscriptionAvailable;

        private Builder() {}

        public Builder payloadFormatIndicator(Integer v) {
            payloadFormatIndicator = v;
            return this;
        }

        public Builder messageExpiryIntervalSeconds(Long v) {
            messageExpiryIntervalSeconds = v;
            return this;
        }

        public Builder contentType(String v) {
            contentType = v;
            return this;
        }

        public Builder responseTopic(String v) {
            responseTopic = v;
            return this;
        }

        public Builder correlationData(byte[] v) {
            correlationData = v;
            return this;
        }

        public Builder addSubscriptionIdentifier(int v) {
            subscriptionIdentifiers.add(v);
            return this;
        }

        public Builder clearSubscriptionIdentifiers() {
            subscriptionIdentifiers.clear();
            return this;
        }

        public Builder sessionExpiryIntervalSeconds(Long v) {
            sessionExpiryIntervalSeconds = v;
            return this;
        }

        public Builder assignedClientIdentifier(String v) {
            assignedClientIdentifier = v;
            return this;
        }

        public Builder serverKeepAliveSeconds(Integer v) {
            serverKeepAliveSeconds = v;
            return this;
        }

        public Builder authenticationMethod(String v) {
            authenticationMethod = v;
            return this;
        }

        public Builder authenticationData(byte[] v) {
            authenticationData = v;
            return this;
        }

        public Builder requestProblemInformation(Integer v) {
            requestProblemInformation = v;
            return this;
        }

        public Builder willDelayIntervalSeconds(Long v) {
            willDelayIntervalSeconds = v;
            return this;
        }

        public Builder requestResponseInformation(Integer v) {
            requestResponseInformation = v;
            return this;
        }

        public Builder responseInformation(String v) {
            responseInformation = v;
            return this;
        }

        public Builder serverReference(String v) {
            serverReference = v;
            return this;
        }

        public Builder reasonString(String v) {
            reasonString = v;
            return this;
        }

        public Builder receiveMaximum(Integer v) {
            receiveMaximum = v;
            return this;
        }

        public Builder topicAliasMaximum(Integer v) {
            topicAliasMaximum = v;
            return this;
        }

        public Builder topicAlias(Integer v) {
            topicAlias = v;
            return this;
        }

        public Builder maximumQos(Integer v) {
            maximumQos = v;
            return this;
        }

        public Builder retainAvailable(Integer v) {
            retainAvailable = v;
            return this;
        }

        public Builder addUserProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public Builder maximumPacketSizeBytes(Long v) {
            maximumPacketSizeBytes = v;
            return this;
        }

        public Builder wildcardSubscriptionAvailable(Integer v) {
            wildcardSubscriptionAvailable = v;
            return this;
        }

        public Builder subscriptionIdentifierAvailable(Integer v) {
            subscriptionIdentifierAvailable = v;
            return this;
        }

        public Builder sharedSubscriptionAvailable(Integer v) {
            sharedSubscriptionAvailable = v;
            return this;
        }

        boolean isEmpty() {
            return payloadFormatIndicator == null
                    && messageExpiryIntervalSeconds == null
                    && contentType == null
                    && responseTopic == null
                    && correlationData == null
                    && subscriptionIdentifiers.isEmpty()
                    && sessionExpiryIntervalSeconds == null
                    && assignedClientIdentifier == null
                    && serverKeepAliveSeconds == null
                    && authenticationMethod == null
                    && authenticationData == null
                    && requestProblemInformation == null
                    && willDelayIntervalSeconds == null
                    && requestResponseInformation == null
                    && responseInformation == null
                    && serverReference == null
                    && reasonString == null
                    && receiveMaximum == null
                    && topicAliasMaximum == null
                    && topicAlias == null
                    && maximumQos == null
                    && retainAvailable == null
                    && userProperties.isEmpty()
                    && maximumPacketSizeBytes == null
                    && wildcardSubscriptionAvailable == null
                    && subscriptionIdentifierAvailable == null
                    && sharedSubscriptionAvailable == null;
        }

        public Properties build() {
            return new Properties(this);
        }
    }
}
