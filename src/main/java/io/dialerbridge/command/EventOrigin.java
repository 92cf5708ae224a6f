package io.dialerbridge.command;

import java.time.Instant;
import java.util.Objects;

/**
 * Where and when a Salesforce event happened, from which the CloudEvents {@code source}, {@code id} and
 * {@code time} of every command it produces are derived.
 *
 * <p>Command ids are deterministic so that a redelivered or replayed event yields the same ids and consumers can
 * deduplicate. The scheme:
 * <ol>
 * <li>{@code <channel>:<replayId>} for the first command about a record;</li>
 * <li>plus {@code :<recordId>} when the event names more than one record (a CDC event whose {@code recordIds}
 * has several ids, or a gap event refetched record by record), so the records stay apart;</li>
 * <li>plus {@code :<type suffix>} ({@link CommandType#idSuffix()}, e.g. {@code :contact.upsert}) for the second
 * and later command about the same record from the same event, e.g. the upsert after an unsuppress, or the remove
 * after a suppress. One event never yields two commands of one type for one record, so the suffix is unique.</li>
 * </ol>
 * The first command keeps the plain id so that the common case, one command per event, matches the contract's
 * {@code <channel>:<replayId>} exactly.
 *
 * @param orgId     the Salesforce org the event came from
 * @param channel   the Streaming API channel, e.g. {@code /data/ContactChangeEvent}
 * @param replayId  the event's replay id on that channel
 * @param time      when the change happened (CDC commitTimestamp, PushTopic or platform event createdDate)
 */
public record EventOrigin(String orgId, String channel, long replayId, Instant time) {

    public EventOrigin {
        if (orgId == null || orgId.isBlank()) {
            throw new IllegalArgumentException("orgId is required");
        }
        if (channel == null || !channel.startsWith("/")) {
            throw new IllegalArgumentException("channel must start with '/': " + channel);
        }
        Objects.requireNonNull(time, "time");
    }

    /** CloudEvents {@code source}: {@code /salesforce/<orgId><channel>}. */
    public String source() {
        return "/salesforce/" + orgId + channel;
    }

    /** The id of the event itself: {@code <channel>:<replayId>}. */
    public String eventId() {
        return channel + ":" + replayId;
    }

    /**
     * The id of one command produced by this event.
     *
     * @param recordId  the record the command is about, appended only when {@code fannedOut}
     * @param fannedOut whether the event names more than one record
     * @param position  how many commands about the same record this event produced before this one
     * @param type      the command's type, appended from the second command on
     */
    public String commandId(String recordId, boolean fannedOut, int position, CommandType type) {
        StringBuilder id = new StringBuilder(eventId());
        if (fannedOut) {
            id.append(':').append(recordId);
        }
        if (position > 0) {
            id.append(':').append(type.idSuffix());
        }
        return id.toString();
    }
}
