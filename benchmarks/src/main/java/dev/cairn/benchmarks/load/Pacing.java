package dev.cairn.benchmarks.load;

/**
 * How fast a publisher sends. Closed loop: as fast as possible while fewer than
 * {@code outstandingMax} of its messages are undelivered end-to-end, which finds the
 * sustainable rate. Open loop: a fixed rate, whatever the broker does; each message is stamped
 * with the time it was due, not the time it left, so a stalled broker shows up as latency
 * instead of being hidden by the generator slowing down (coordinated omission).
 */
record Pacing(int outstandingMax, double ratePerSecond) {
    static Pacing closedLoop(int outstandingMax) {
        if (outstandingMax < 1) {
            throw new IllegalArgumentException("closed-loop outstanding must be at least 1");
        }
        return new Pacing(outstandingMax, 0);
    }

    static Pacing openLoop(double ratePerSecond) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        return new Pacing(0, ratePerSecond);
    }

    boolean isOpenLoop() {
        return ratePerSecond > 0;
    }

    /** This pacing split evenly over {@code publisherCount} publishers. */
    Pacing perPublisher(int publisherCount) {
        return isOpenLoop() ? openLoop(ratePerSecond / publisherCount) : this;
    }

    String describe() {
        return isOpenLoop()
                ? "open loop " + (long) ratePerSecond + " msgs/s"
                : "closed loop " + outstandingMax + " outstanding";
    }
}
