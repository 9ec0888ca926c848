package dev.cairn.broker.acl;

/**
 * The access word of a {@code topic} or {@code pattern} line; as bits, so that the rules matching
 * one topic fold into one int. {@link #DENY} is a bit of its own: it wins over any grant.
 */
public enum Access {
    READ("read", Access.READ_BIT),
    WRITE("write", Access.WRITE_BIT),
    READWRITE("readwrite", Access.READ_BIT | Access.WRITE_BIT),
    DENY("deny", Access.DENY_BIT);

    static final int READ_BIT = 1;
    static final int WRITE_BIT = 2;
    static final int DENY_BIT = 4;

    private final String word;
    private final int bits;

    Access(String word, int bits) {
        this.word = word;
        this.bits = bits;
    }

    /** The word as written in the file. */
    public String word() {
        return word;
    }

    int bits() {
        return bits;
    }

    /** The access a word names, or null when it names none. */
    static Access ofWord(String word) {
        for (Access a : values()) {
            if (a.word.equals(word)) {
                return a;
            }
        }
        return null;
    }
}
