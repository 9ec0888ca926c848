package dev.cairn.storage.record;

import java.util.Objects;

/** Argument checks shared by the record constructors, so a bad value fails where it is made. */
final class Checks {
    static final int STRING_BYTES_MAX = 65_535;
    static final int SUBSCRIPTION_ID_MAX = 268_435_455;

    private Checks() {}

    static String text(String value, String name) {
        return Objects.requireNonNull(value, name);
    }

    static byte[] bytes(byte[] value, String name) {
        return Objects.requireNonNull(value, name);
    }

    static int qos(int qos) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0..2, was " + qos);
        }
        return qos;
    }

    static int packetId(int packetId) {
        if (packetId < 1 || packetId > 65_535) {
            throw new IllegalArgumentException("packetId must be 1..65535, was " + packetId);
        }
        return packetId;
    }

    static int[] subscriptionIds(int[] ids) {
        Objects.requireNonNull(ids, "subscriptionIds");
        if (ids.length > 65_535) {
            throw new IllegalArgumentException("too many subscription ids: " + ids.length);
        }
        for (int id : ids) {
            subscriptionId(id);
        }
        return ids;
    }

    static int subscriptionId(int id) {
        if (id < 0 || id > SUBSCRIPTION_ID_MAX) {
            throw new IllegalArgumentException("subscription id out of range: " + id);
        }
        return id;
    }

    /** A queue entry's copy number: which of a session's deliveries of one message it is. */
    static int copy(int copy) {
        if (copy < 0) {
            throw new IllegalArgumentException("copy must be 0 or more, was " + copy);
        }
        return copy;
    }

    static int u8(int value, String name) {
        if (value < 0 || value > 255) {
            throw new IllegalArgumentException(name + " must fit in a byte, was " + value);
        }
        return value;
    }
}
