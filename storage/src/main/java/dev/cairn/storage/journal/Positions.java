package dev.cairn.storage.journal;

/** Renders positions for humans: decimal and hex (the hex shows Chronicle's cycle/sequence split). */
final class Positions {
    private Positions() {}

    static String describe(long position) {
        return position == Journal.NO_POSITION ? "none" : String.format("0x%x", position);
    }
}
