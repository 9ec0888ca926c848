package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestBroker;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Shared subscriptions {@code $share/{group}/{filter}} (section 4.8.2): each message goes to
 * exactly one member of a group, the load is spread across members, a group is independent of
 * ordinary subscriptions, and subscribing to a share sends no retained messages.
 */
class SharedSubscriptionIT extends Clients {

    @Test
    void eachMessageGoesToExactlyOneMemberAndEveryMemberGetsSome() throws Exception {
        TestBroker broker = broker();
        List<Received> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Received r = new Received();
            members.add(r);
            paho5(broker, "member" + i, r).subscribe("$share/workers/jobs/#", 1);
        }
        Received ordinary = new Received();
        paho3(broker, "ordinary", ordinary).subscribe("jobs/#", 1);
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "pub", null);
        // Act
        for (int i = 0; i < 300; i++) {
            pub.publish("jobs/" + (i % 7), utf8("job" + i), 1, false);
        }
        // Assert: the ordinary subscriber sees all 300, so every routing decision has been made.
        ordinary.next(300);
        List<String> all = new ArrayList<>();
        await(
                () -> {
                    for (Received r : members) {
                        r.drain().forEach(m -> all.add(m.payload()));
                    }
                    return all.size() >= 300;
                },
                TIMEOUT,
                "300 shared deliveries");
        Set<String> distinct = new HashSet<>(all);
        assertEquals(300, all.size(), "no message to two members");
        assertEquals(300, distinct.size(), "every message to one member");
        for (int i = 0; i < 300; i++) {
            assertTrue(distinct.contains("job" + i), "job" + i);
        }
    }

    @Test
    void loadIsSpreadAcrossMembers() throws Exception {
        TestBroker broker = broker();
        List<Received> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Received r = new Received();
            members.add(r);
            paho5(broker, "member" + i, r).subscribe("$share/g/spread", 0);
        }
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        // Act
        for (int i = 0; i < 300; i++) {
            pub.publish("spread", utf8("m" + i), 1, false);
        }
        // Assert: every member received some (the spec leaves the policy open; a demanding user
        // expects no idle member when all are connected and keeping up).
        int[] counts = new int[3];
        await(
                () -> {
                    for (int i = 0; i < 3; i++) {
                        counts[i] += members.get(i).drain().size();
                    }
                    return counts[0] + counts[1] + counts[2] >= 300;
                },
                TIMEOUT,
                "300 deliveries");
        for (int i = 0; i < 3; i++) {
            assertTrue(counts[i] > 0, "member " + i + " received " + counts[i]);
        }
    }

    @Test
    void subscribingToAShareSendsNoRetainedMessages() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        pub.publish("shared/r", utf8("retained"), 1, true);
        Received member = new Received();
        // Act
        paho5(broker, "member", member).subscribe("$share/g/shared/#", 1);
        pub.publish("shared/r", utf8("live"), 1, false);
        // Assert (section 4.8.2: retained messages are not sent on a shared subscription);
        // the live message comes first.
        member.expect("shared/r", "live");
    }
}
