package io.dialerbridge.emulator.streaming;

/** A subscriber asked to resume from a replay id whose successors are no longer all retained, or never existed. */
public class InvalidReplayIdException extends Exception {

    public InvalidReplayIdException(long replayId) {
        super("400::The replayId {" + replayId + "} you provided was invalid.  Please provide a valid ID, -2 to replay"
                + " all events, or -1 to replay only new events.");
    }
}
