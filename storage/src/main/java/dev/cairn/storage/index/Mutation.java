package dev.cairn.storage.index;

/** One change to the index, in batch order. {@code end} is set only for range deletes. */
record Mutation(Kind kind, Cf cf, byte[] key, byte[] value, byte[] end) {
    enum Kind {
        PUT,
        DELETE,
        DELETE_RANGE
    }

    static Mutation put(Cf cf, byte[] key, byte[] value) {
        return new Mutation(Kind.PUT, cf, key, value, null);
    }

    static Mutation delete(Cf cf, byte[] key) {
        return new Mutation(Kind.DELETE, cf, key, null, null);
    }

    static Mutation deleteRange(Cf cf, byte[] start, byte[] end) {
        return new Mutation(Kind.DELETE_RANGE, cf, start, null, end);
    }
}
