package io.dialerbridge.disposition;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The call ids already published to Salesforce, as far as this instance knows. It is bounded and forgets the
 * longest-known first, so a dialer that replays an old disposition is caught for as long as memory allows and memory
 * never grows without limit.
 */
public final class PublishedCallRegistry {

    private final int capacity;
    private final Map<String, Boolean> calls;

    public PublishedCallRegistry(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        this.calls = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > PublishedCallRegistry.this.capacity;
            }
        };
    }

    public synchronized boolean contains(String callId) {
        return calls.containsKey(callId);
    }

    /** Remembers a published call; one seen again moves to the back, to be forgotten last. */
    public synchronized void add(String callId) {
        calls.remove(callId);
        calls.put(callId, Boolean.TRUE);
    }

    /** Forgets a call, so a disposition with this id would be published again (a tombstone on the topic). */
    public synchronized void remove(String callId) {
        calls.remove(callId);
    }

    public synchronized int size() {
        return calls.size();
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public synchronized String toString() {
        return "PublishedCallRegistry[" + calls.size() + "/" + capacity + "]";
    }
}
