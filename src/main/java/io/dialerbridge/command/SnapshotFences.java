package io.dialerbridge.command;

import io.micrometer.core.instrument.Metrics;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, per channel, how fresh each record of the last resync was, so that older events replayed after it do
 * not overwrite it.
 *
 * <p>After an expired checkpoint the channel resubscribes at {@code -2} and Salesforce replays its whole retained
 * backlog, behind the resync's snapshot on the channel's thread: those events are older than the snapshot. An event
 * about a record whose commit time is not after the record's {@code SystemModstamp} in the snapshot (or its
 * {@code LastModifiedDate}) changed nothing the snapshot did not already show, and is skipped. Each channel's fence
 * is dropped at the first event newer than every record of its snapshot: events come in commit order, so none after
 * it can be older.
 *
 * <p>The state is bounded: a fence keeps at most {@code capacity} records. Beyond that it keeps only the newest
 * modification time of the records it could not keep, and skips an event about any record it does not know that is
 * not newer than that, except deletes: a record deleted for good (out of the recycle bin) is in no snapshot, and a
 * repeated remove does no harm.
 */
final class SnapshotFences {

    private final int capacity;
    private final Map<String, Fence> byChannel = new ConcurrentHashMap<>();

    SnapshotFences(int capacity) {
        this.capacity = capacity;
    }

    /** A new, empty fence for the channel, replacing any earlier one; the resync fills it. */
    Fence begin(String channel) {
        Fence fence = new Fence(capacity);
        byChannel.put(channel, fence);
        return fence;
    }

    /**
     * Whether the channel's last snapshot already holds what this event says about the record; counts and forgets
     * as it goes.
     *
     * @param delete whether the event deletes the record
     */
    boolean superseded(String channel, String recordId, Instant eventTime, boolean delete) {
        Fence fence = byChannel.get(channel);
        if (fence == null) {
            return false;
        }
        if (fence.newest == null || eventTime.isAfter(fence.newest)) {
            byChannel.remove(channel, fence);
            return false;
        }
        if (fence.covers(recordId, eventTime, delete)) {
            Metrics.counter("dialer.recovery.superseded", "channel", channel).increment();
            return true;
        }
        return false;
    }

    /** The records of one snapshot and how fresh each one was. */
    static final class Fence {
        private final int capacity;
        private final Map<String, Instant> modified = new HashMap<>();
        /** The newest modification of the records that did not fit. */
        private Instant overflow;
        private Instant newest;

        private Fence(int capacity) {
            this.capacity = capacity;
        }

        synchronized void record(String recordId, Instant modifiedAt) {
            if (modifiedAt == null) {
                return;
            }
            if (newest == null || modifiedAt.isAfter(newest)) {
                newest = modifiedAt;
            }
            if (modified.size() < capacity || modified.containsKey(recordId)) {
                modified.put(recordId, modifiedAt);
            } else if (overflow == null || modifiedAt.isAfter(overflow)) {
                overflow = modifiedAt;
            }
        }

        synchronized boolean covers(String recordId, Instant eventTime, boolean delete) {
            Instant known = modified.get(recordId);
            if (known != null) {
                return !eventTime.isAfter(known);
            }
            return !delete && overflow != null && !eventTime.isAfter(overflow);
        }
    }
}
