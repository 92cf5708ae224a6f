package io.dialerbridge.suppression;

/**
 * A change to the person-numbers table that reaches Kafka with the commands it was learned from.
 *
 * @param numbers the new row, or null to forget the person (a tombstone)
 */
public record PersonNumbersChange(String personId, PersonNumbers numbers) {
}
