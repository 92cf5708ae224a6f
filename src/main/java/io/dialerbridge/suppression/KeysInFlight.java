package io.dialerbridge.suppression;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table rows a writer (one Kafka producer) has screened and sent but Kafka has not yet placed in the log. While one
 * writer's row of a key is in flight, another writer must not screen a change of that key, since two producers' records
 * are not ordered with each other and the older change could land last. Its own monitor, never the guard's.
 */
final class KeysInFlight {

    private static final Logger LOG = LoggerFactory.getLogger(KeysInFlight.class);
    /** How often a wait that goes on is logged; Kafka's delivery timeout bounds it, the caller's limit for sure. */
    private static final Duration LOG_EVERY = Duration.ofSeconds(10);

    private record Mark(Object writer, int count) {
    }

    private final Map<String, Mark> marks = new HashMap<>();

    /** The keys among {@code keys} that another writer has in flight. */
    synchronized Set<String> heldByOthers(Collection<String> keys, Object writer) {
        Set<String> busy = new LinkedHashSet<>();
        for (String key : keys) {
            Mark mark = marks.get(key);
            if (mark != null && mark.writer() != writer) {
                busy.add(key);
            }
        }
        return busy;
    }

    synchronized void mark(String key, Object writer) {
        Mark mark = marks.get(key);
        marks.put(key, new Mark(writer, mark == null ? 1 : mark.count() + 1));
    }

    synchronized void land(String key, Object writer) {
        Mark mark = marks.get(key);
        if (mark == null || mark.writer() != writer) {
            return;
        }
        if (mark.count() <= 1) {
            marks.remove(key);
            notifyAll();
        } else {
            marks.put(key, new Mark(writer, mark.count() - 1));
        }
    }

    /**
     * Waits until no other writer has any of the keys in flight, or until {@code limit} has passed: returns whether
     * they landed. A wait that times out changes nothing (the caller must not go ahead: it retries the event).
     */
    synchronized boolean awaitLanded(Collection<String> keys, Object writer, Duration limit)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + limit.toNanos();
        long nextLog = started + LOG_EVERY.toNanos();
        Set<String> busy = heldByOthers(keys, writer);
        while (!busy.isEmpty()) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                LOG.warn("DNC guard: gave up after {} s waiting for another channel's rows {} to reach Kafka",
                        TimeUnit.NANOSECONDS.toSeconds(now - started), busy);
                return false;
            }
            if (now >= nextLog) {
                LOG.warn("DNC guard: waiting {} s for another channel's rows {} to reach Kafka before changing them",
                        TimeUnit.NANOSECONDS.toSeconds(now - started), busy);
                nextLog = now + LOG_EVERY.toNanos();
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, Math.min(nextLog, deadline) - now));
            busy = heldByOthers(keys, writer);
        }
        return true;
    }
}
