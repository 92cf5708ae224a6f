package io.dialerbridge.suppression;

/**
 * A screen waited longer than the guard's limit for another writer's rows to reach Kafka. Nothing of the event was
 * sent, and the caller must retry it (never drop it, never send what follows it first).
 */
public class RowsInFlightTimeoutException extends RuntimeException {

    RowsInFlightTimeoutException(String message) {
        super(message);
    }
}
