package dev.cairn.broker.codec;

/**
 * The only topic checks the codec makes: those a single packet can violate regardless of
 * configuration. Full parsing of names and filters belongs to routing's TopicName/TopicFilter.
 */
final class TopicNames {
    private TopicNames() {
    }

    /** Topic Names (PUBLISH, Will Topic, Response Topic) must not contain + or # [MQTT-3.3.2-2]. */
    static boolean hasWildcard(String topic) {
        return topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0;
    }
}
