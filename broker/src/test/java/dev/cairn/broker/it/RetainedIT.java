package dev.cairn.broker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.broker.testing.TestBroker;
import org.junit.jupiter.api.Test;

/**
 * Retained messages (section 3.3.1.3 of both versions): stored, replaced, cleared by an empty
 * payload, left alone by non-retained publishes, delivered on subscribe with RETAIN=1 at
 * min(message QoS, granted QoS). Absence is proven with a fence: a live message published
 * after the SUBSCRIBE, which arrives after any retained message the subscription triggered.
 */
class RetainedIT extends Clients {

    @Test
    void retainedMessageIsDeliveredToLaterSubscribersWithRetainSetInBothVersions() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        pub.publish("ret/a", utf8("state"), 1, true);
        Received live = new Received();
        Received v3 = new Received();
        Received v5 = new Received();
        // Act: one subscriber before a second publish, two after.
        paho3(broker, "v3", v3).subscribe("ret/#", 1);
        paho5(broker, "v5", v5).subscribe("ret/+", 1);
        // Assert: stored [MQTT-3.3.1-5] and sent on subscribe with RETAIN=1 [MQTT-3.3.1-8] (3.1.1),
        // [MQTT-3.3.1-9].
        assertTrue(v3.expect("ret/a", "state").retained());
        assertTrue(v5.expect("ret/a", "state").retained());
        // A live delivery of a retained publish has RETAIN=0 [MQTT-3.3.1-9] (3.1.1), [MQTT-3.3.1-12].
        paho3(broker, "live", live).subscribe("ret/b", 1);
        pub.publish("ret/b", utf8("now"), 1, true);
        assertFalse(live.expect("ret/b", "now").retained());
    }

    @Test
    void newerRetainedMessageReplacesTheOldOneAndNonRetainedLeavesItAlone() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.client.mqttv3.MqttClient pub = paho3(broker, "pub", null);
        pub.publish("ret/r", utf8("first"), 1, true);
        pub.publish("ret/r", utf8("second"), 1, true);
        pub.publish("ret/r", utf8("not retained"), 1, false);
        Received sub = new Received();
        // Act
        paho5(broker, "sub", sub).subscribe("ret/r", 1);
        pub.publish("ret/r", utf8("fence"), 1, false);
        // Assert: only the last retained one [MQTT-3.3.1-5]; RETAIN=0 leaves it [MQTT-3.3.1-8].
        sub.expect("ret/r", "second");
        sub.expect("ret/r", "fence");
    }

    @Test
    void emptyRetainedPayloadClearsTheRetainedMessage() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        pub.publish("ret/c", utf8("there"), 1, true);
        // Act
        pub.publish("ret/c", new byte[0], 1, true);
        Received sub = new Received();
        paho3(broker, "sub", sub).subscribe("ret/c", 1);
        pub.publish("ret/c", utf8("fence"), 1, false);
        // Assert: removed and not stored itself [MQTT-3.3.1-6], [MQTT-3.3.1-7]; the fence comes first.
        sub.expect("ret/c", "fence");
    }

    @Test
    void retainedMessageIsDeliveredAtTheLowerOfItsQosAndTheGrantedQos() throws Exception {
        TestBroker broker = broker();
        org.eclipse.paho.mqttv5.client.MqttClient pub = paho5(broker, "pub", null);
        pub.publish("ret/q/two", utf8("2"), 2, true);
        pub.publish("ret/q/zero", utf8("0"), 0, true);
        Received sub1 = new Received();
        Received sub2 = new Received();
        // Act
        paho5(broker, "sub1", sub1).subscribe("ret/q/two", 1);
        paho3(broker, "sub2", sub2).subscribe("ret/q/zero", 2);
        // Assert [MQTT-3.8.4-8], [MQTT-3.8.4-6] (3.1.1): the QoS stored with the message is the ceiling.
        assertEquals(1, sub1.expect("ret/q/two", "2").qos());
        assertEquals(0, sub2.expect("ret/q/zero", "0").qos());
    }
}
