package dev.cairn.benchmarks.load;

/** A run could not complete: the broker refused, went silent or closed a connection. */
final class LoadRunException extends RuntimeException {
    LoadRunException(String message, Throwable cause) {
        super(message, cause);
    }

    LoadRunException(String message) {
        super(message);
    }
}
