package io.dialerbridge.suppression;

/**
 * A change to the suppression table that must reach Kafka with the commands that caused it.
 *
 * @param entry the new row, or null to lift the suppression (a tombstone for the compacted topic)
 */
public record SuppressionChange(String key, SuppressionEntry entry) {
}
