package io.dialerbridge.salesforce;

/**
 * A refetch or resync gave up waiting for Salesforce because the bridge is stopping. The stream routes leave the
 * event unacknowledged instead of dead-lettering it, so it comes again after the restart.
 */
public class RecoveryAbandonedException extends RuntimeException {

    public RecoveryAbandonedException(String channel, String what, Throwable lastFailure) {
        super("Stopped waiting for Salesforce to answer " + what + " for " + channel + ": the bridge is stopping",
                lastFailure);
    }
}
