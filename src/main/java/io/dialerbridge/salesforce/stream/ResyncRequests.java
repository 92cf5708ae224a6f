package io.dialerbridge.salesforce.stream;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.component.salesforce.SalesforceConstants;

/**
 * The request to read an entity again that a stream consumer hands its route when Salesforce refused its checkpoint as
 * expired: the same overflow change event Salesforce sends when it cannot describe a transaction's changes, on either
 * API. Its replay id is negative (minus the time of the resync), so its commands never share a ce_id with a real
 * event's, and the channel's transactions never write it as the checkpoint.
 */
final class ResyncRequests {

    private ResyncRequests() {
    }

    /** Makes the exchange's message the resync of {@code entity} ({@code condition}: a SOQL WHERE, or null). */
    static void fill(Exchange exchange, String channel, String entity, String condition) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("entityName", entity);
        header.put("recordIds", List.of("000000000000000AAA"));
        header.put("changeType", "GAP_OVERFLOW");
        header.put("commitTimestamp", System.currentTimeMillis());
        if (condition != null) {
            header.put(SalesforceStreamConsumer.RESYNC_CONDITION, condition);
        }
        long resyncId = -System.currentTimeMillis();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("payload", Map.of("ChangeEventHeader", header));
        data.put("event", Map.of("replayId", resyncId));
        // shaped as a change event whatever the channel's kind, so the mapper reads it as one
        exchange.getIn().setBody(new SalesforceEvent(channel, StreamKind.CHANGE_DATA_CAPTURE, resyncId, data));
        exchange.getIn().setHeader(SalesforceConstants.HEADER_SALESFORCE_CHANNEL, channel);
        exchange.getIn().setHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID, resyncId);
    }
}
