package io.dialerbridge.suppression;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rows this guard handed out to be written and has not read back yet, per key. When the guard follows its topic,
 * this tells its own rows coming back from rows another process wrote: only the latter are news.
 */
final class OwnWrites {

    /** Enough for any burst on one key; a write that never lands is withdrawn ({@link #withdraw}), not kept here. */
    private static final int KEPT_PER_KEY = 32;
    private static final String TOMBSTONE = "\u0000tombstone";

    private final Map<String, Deque<String>> pending = new HashMap<>();

    void wrote(String key, String value) {
        Deque<String> values = pending.computeIfAbsent(key, k -> new ArrayDeque<>());
        values.addLast(Objects.requireNonNullElse(value, TOMBSTONE));
        if (values.size() > KEPT_PER_KEY) {
            values.removeFirst();
        }
    }

    /**
     * Whether a row read back is one this guard wrote; if so that row is no longer pending. Only that row: an earlier
     * own row of the key still pending may land after it (two channels' producers are not ordered with each other),
     * and must still be known as ours when it does.
     */
    boolean readBack(String key, String value) {
        Deque<String> values = pending.get(key);
        if (values == null || !values.removeFirstOccurrence(Objects.requireNonNullElse(value, TOMBSTONE))) {
            return false;
        }
        if (values.isEmpty()) {
            pending.remove(key);
        }
        return true;
    }

    /** A row handed out that will never be written (its transaction aborted): it is no longer expected back. */
    void withdraw(String key, String value) {
        Deque<String> values = pending.get(key);
        if (values != null && values.removeLastOccurrence(Objects.requireNonNullElse(value, TOMBSTONE))
                && values.isEmpty()) {
            pending.remove(key);
        }
    }

    /** Whether a row of this guard for the key is still on its way: it will land after anything read now. */
    boolean pending(String key) {
        return pending.containsKey(key);
    }
}
