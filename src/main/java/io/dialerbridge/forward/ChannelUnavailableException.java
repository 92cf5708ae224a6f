package io.dialerbridge.forward;

/**
 * The failure of a channel that cannot write to Kafka now.
 *
 * <p>Another bridge fenced its transactional id, or this bridge is stopping. Nothing of the event was acknowledged,
 * so it comes again; it is not dead-lettered.
 */
public class ChannelUnavailableException extends RuntimeException {

    ChannelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
