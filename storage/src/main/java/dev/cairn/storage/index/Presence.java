package dev.cairn.storage.index;

/** Whether a session has a live connection. Codes are stored in the index; never reuse one. */
public enum Presence {
    ONLINE(1),
    OFFLINE(2);

    private final int code;

    Presence(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Presence ofCode(int code) {
        for (Presence presence : values()) {
            if (presence.code == code) {
                return presence;
            }
        }
        throw new IndexCorruptException("unknown presence code " + code);
    }
}
