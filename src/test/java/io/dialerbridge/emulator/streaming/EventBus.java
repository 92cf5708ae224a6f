package io.dialerbridge.emulator.streaming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.EmulatorSettings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

/**
 * The org's event bus: every published event gets the next replay id and is retained per channel for the channel
 * kind's retention window, so subscribers can resume with {@code -1}, {@code -2} or an explicit replay id.
 */
public final class EventBus {

    /** Something that reads a channel from a cursor and must be told when the channel grows. */
    @FunctionalInterface
    public interface Listener {
        void eventsAvailable(String channel);
    }

    private final EmulatorSettings settings;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final Map<String, ChannelLog> logs = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile long lastReplayId;

    public EventBus(EmulatorSettings settings) {
        this.settings = settings;
    }

    private static final class ChannelLog {
        final ChannelKind kind;
        final List<StreamingEvent> events = new ArrayList<>();
        /** Every event with a replay id up to this one has left retention (or was purged). */
        long purgedThrough;

        ChannelLog(ChannelKind kind) {
            this.kind = kind;
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /**
     * Publishes one event on one or more channels (a CDC event goes to its entity channel and to
     * {@code /data/ChangeEvents}) under one replay id.
     *
     * @param dataForReplayId builds the subscriber-visible {@code data} object once the replay id is known
     */
    public long publish(Collection<String> channels, LongFunction<Map<String, Object>> dataForReplayId) {
        long replayId;
        publishLock.lock();
        try {
            replayId = lastReplayId + 1;
            Map<String, Object> data = dataForReplayId.apply(replayId);
            Instant now = settings.clock().instant();
            int size = estimateSize(data);
            for (String channel : channels) {
                ChannelLog log = logs.computeIfAbsent(channel, name -> new ChannelLog(ChannelKind.of(name)));
                synchronized (log) {
                    expire(log, now);
                    log.events.add(new StreamingEvent(channel, replayId, now, data, size));
                }
            }
            lastReplayId = replayId;
        } finally {
            publishLock.unlock();
        }
        for (String channel : channels) {
            for (Listener listener : listeners) {
                listener.eventsAvailable(channel);
            }
        }
        return replayId;
    }

    /**
     * Where a new subscription starts reading: the replay id after which its first event lies.
     *
     * @throws InvalidReplayIdException when some event after the requested id is no longer retained
     */
    public long startingPoint(String channel, long requestedReplayId) throws InvalidReplayIdException {
        if (requestedReplayId == -1) {
            return lastReplayId;
        }
        ChannelLog log = logs.computeIfAbsent(channel, name -> new ChannelLog(ChannelKind.of(name)));
        synchronized (log) {
            expire(log, settings.clock().instant());
            if (requestedReplayId == -2) {
                return log.purgedThrough;
            }
            if (requestedReplayId < log.purgedThrough || requestedReplayId > lastReplayId) {
                throw new InvalidReplayIdException(requestedReplayId);
            }
            return requestedReplayId;
        }
    }

    /** Retained events after the cursor, oldest first, stopping once the byte budget is spent (at least one). */
    public List<StreamingEvent> eventsAfter(String channel, long cursor, int byteBudget) {
        ChannelLog log = logs.get(channel);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            expire(log, settings.clock().instant());
            int from = firstIndexAfter(log.events, cursor);
            List<StreamingEvent> batch = new ArrayList<>();
            int spent = 0;
            for (int i = from; i < log.events.size(); i++) {
                StreamingEvent event = log.events.get(i);
                if (!batch.isEmpty() && spent + event.estimatedBytes() > byteBudget) {
                    break;
                }
                batch.add(event);
                spent += event.estimatedBytes();
            }
            return batch;
        }
    }

    /** Drops retained events with a replay id up to the given one, on one channel or (channel null) on all. */
    public int purge(String channel, long throughReplayId) {
        int removed = 0;
        for (Map.Entry<String, ChannelLog> entry : logs.entrySet()) {
            if (channel != null && !channel.equals(entry.getKey())) {
                continue;
            }
            ChannelLog log = entry.getValue();
            synchronized (log) {
                int count = firstIndexAfter(log.events, throughReplayId);
                log.events.subList(0, count).clear();
                log.purgedThrough = Math.max(log.purgedThrough, Math.min(throughReplayId, lastReplayId));
                removed += count;
            }
        }
        return removed;
    }

    public long lastReplayId() {
        return lastReplayId;
    }

    /** Number of events each channel still retains. */
    public Map<String, Integer> retainedCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        logs.forEach((channel, log) -> {
            synchronized (log) {
                expire(log, settings.clock().instant());
                counts.put(channel, log.events.size());
            }
        });
        return counts;
    }

    private void expire(ChannelLog log, Instant now) {
        Instant oldestKept = now.minus(log.kind.retention(settings));
        int expired = 0;
        while (expired < log.events.size() && log.events.get(expired).publishedAt().isBefore(oldestKept)) {
            expired++;
        }
        if (expired > 0) {
            log.purgedThrough = Math.max(log.purgedThrough, log.events.get(expired - 1).replayId());
            log.events.subList(0, expired).clear();
        }
    }

    private static int firstIndexAfter(List<StreamingEvent> events, long replayId) {
        int low = 0;
        int high = events.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (events.get(mid).replayId() <= replayId) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private int estimateSize(Map<String, Object> data) {
        try {
            return json.writeValueAsBytes(data).length + 64;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data is not JSON-serialisable", e);
        }
    }
}
