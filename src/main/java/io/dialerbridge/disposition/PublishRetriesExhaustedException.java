package io.dialerbridge.disposition;

/**
 * Raised when Salesforce kept refusing events of a batch for transient reasons after every retry. The batch is given
 * back to Kafka uncommitted, to be read and tried again, rather than dropped or dead-lettered.
 */
public class PublishRetriesExhaustedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PublishRetriesExhaustedException(int pending, int rounds) {
        super(pending + " disposition(s) still refused by Salesforce for transient reasons after " + rounds
                + " retries; the batch will be read again");
    }
}
