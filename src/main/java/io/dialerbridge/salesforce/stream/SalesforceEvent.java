package io.dialerbridge.salesforce.stream;

import java.util.Map;

/**
 * One event as Salesforce sent it on a streaming channel, before any interpretation. The mapping beans validate its
 * shape, so that a malformed event becomes a dead letter instead of an exception inside the streaming client.
 *
 * @param replayId the event's {@code data.event.replayId}, or null when the event does not carry one
 * @param data the CometD message's {@code data} object
 */
public record SalesforceEvent(String channel, StreamKind kind, Long replayId, Map<String, Object> data) {
}
