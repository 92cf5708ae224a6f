package io.dialerbridge.disposition;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Salesforce platform event {@code Call_Disposition__e} a validated {@link Disposition} is published as. It gives
 * the field map for the sObject REST endpoint, and the same with {@code attributes} for sObject Collections requests.
 *
 * <p>Absent values are left out rather than sent as null: a platform event has nothing to clear, and leaving them out
 * keeps the published event the same whether the dialer sent {@code null} or nothing.
 */
public final class CallDispositionEvent {

    public static final String API_NAME = "Call_Disposition__e";

    public static final String CALL_ID = "Call_Id__c";
    public static final String RECORD_ID = "Record_Id__c";
    public static final String DISPOSITION = "Disposition__c";
    public static final String PHONE = "Phone__c";
    public static final String CAMPAIGN_ID = "Campaign_Id__c";
    public static final String AGENT_ID = "Agent_Id__c";
    public static final String CALL_STARTED_AT = "Call_Started_At__c";
    public static final String CALL_ENDED_AT = "Call_Ended_At__c";
    public static final String DURATION_SECONDS = "Duration_Seconds__c";
    public static final String CALLBACK_AT = "Callback_At__c";
    public static final String NOTES = "Notes__c";

    /** The order fields appear in; fixed so published JSON is stable and diffable. */
    public static final List<String> FIELD_NAMES = List.of(CALL_ID, RECORD_ID, DISPOSITION, PHONE, CAMPAIGN_ID, AGENT_ID,
            CALL_STARTED_AT, CALL_ENDED_AT, DURATION_SECONDS, CALLBACK_AT, NOTES);

    // Salesforce DateTime fields keep milliseconds; a fixed width with a literal Z is what the REST API itself returns.
    private static final DateTimeFormatter SALESFORCE_DATE_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private CallDispositionEvent() {
    }

    /** The event's custom fields, in {@link #FIELD_NAMES} order, absent values left out. */
    public static Map<String, Object> fields(Disposition disposition) {
        Map<String, Object> fields = new LinkedHashMap<>();
        putIfPresent(fields, CALL_ID, disposition.callId());
        putIfPresent(fields, RECORD_ID, disposition.recordId());
        putIfPresent(fields, DISPOSITION, disposition.disposition() == null ? null : disposition.disposition().name());
        putIfPresent(fields, PHONE, disposition.phone());
        putIfPresent(fields, CAMPAIGN_ID, disposition.campaignId());
        putIfPresent(fields, AGENT_ID, disposition.agentId());
        putIfPresent(fields, CALL_STARTED_AT, dateTime(disposition.startedAt()));
        putIfPresent(fields, CALL_ENDED_AT, dateTime(disposition.endedAt()));
        putIfPresent(fields, DURATION_SECONDS, disposition.durationSeconds());
        putIfPresent(fields, CALLBACK_AT, dateTime(disposition.callbackAt()));
        putIfPresent(fields, NOTES, disposition.notes());
        return fields;
    }

    /**
     * The event as one record of an sObject Collections request ({@code POST /composite/sobjects}), which needs
     * {@code attributes.type} on every record to know what to create.
     */
    public static Map<String, Object> sObject(Disposition disposition) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("attributes", Map.of("type", API_NAME));
        record.putAll(fields(disposition));
        return record;
    }

    /** An instant as Salesforce writes DateTime values: UTC, milliseconds, {@code Z}; finer precision is dropped. */
    static String dateTime(Instant instant) {
        return instant == null ? null : SALESFORCE_DATE_TIME.format(instant);
    }

    private static void putIfPresent(Map<String, Object> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
