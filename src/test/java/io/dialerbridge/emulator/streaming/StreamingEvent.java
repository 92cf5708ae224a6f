package io.dialerbridge.emulator.streaming;

import java.time.Instant;
import java.util.Map;

/**
 * One retained event on one channel: the {@code data} object subscribers receive and the replay id that orders it.
 *
 * @param estimatedBytes approximate size of the event on the wire, used to keep each long-poll response small
 */
public record StreamingEvent(String channel, long replayId, Instant publishedAt, Map<String, Object> data,
        int estimatedBytes) {
}
