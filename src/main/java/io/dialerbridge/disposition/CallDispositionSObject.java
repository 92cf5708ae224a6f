package io.dialerbridge.disposition;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.Attributes;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;
import org.apache.camel.component.salesforce.api.dto.SObjectField;

/**
 * {@code Call_Disposition__e} as the DTO camel-salesforce's {@code compositeCreateSObjectCollections} serialises. It is
 * written by hand in the shape its maven plugin would generate.
 *
 * <p>The field names are the Salesforce API names on purpose: camel's {@code fieldsToNull} filter leaves a null
 * property out only when the Java field has the JSON property's name, and absent values must be left out (a
 * platform event has nothing to clear). Date-times are kept as the strings {@link CallDispositionEvent} formats, so
 * the wire shape does not depend on camel's date serialisers.
 */
@SuppressWarnings({"checkstyle:MemberName", "checkstyle:MethodName"})
public class CallDispositionSObject extends AbstractDescribedSObjectBase {

    private static final SObjectDescription DESCRIPTION = describe();

    private String Call_Id__c;
    private String Record_Id__c;
    private String Disposition__c;
    private String Phone__c;
    private String Campaign_Id__c;
    private String Agent_Id__c;
    private String Call_Started_At__c;
    private String Call_Ended_At__c;
    private Long Duration_Seconds__c;
    private String Callback_At__c;
    private String Notes__c;

    public CallDispositionSObject() {
        Attributes attributes = new Attributes();
        attributes.setType(CallDispositionEvent.API_NAME);
        setAttributes(attributes);
    }

    /** The event for one validated disposition, with the values {@link CallDispositionEvent#fields} gives. */
    public static CallDispositionSObject of(Disposition disposition) {
        Map<String, Object> fields = CallDispositionEvent.fields(disposition);
        CallDispositionSObject event = new CallDispositionSObject();
        event.Call_Id__c = (String) fields.get(CallDispositionEvent.CALL_ID);
        event.Record_Id__c = (String) fields.get(CallDispositionEvent.RECORD_ID);
        event.Disposition__c = (String) fields.get(CallDispositionEvent.DISPOSITION);
        event.Phone__c = (String) fields.get(CallDispositionEvent.PHONE);
        event.Campaign_Id__c = (String) fields.get(CallDispositionEvent.CAMPAIGN_ID);
        event.Agent_Id__c = (String) fields.get(CallDispositionEvent.AGENT_ID);
        event.Call_Started_At__c = (String) fields.get(CallDispositionEvent.CALL_STARTED_AT);
        event.Call_Ended_At__c = (String) fields.get(CallDispositionEvent.CALL_ENDED_AT);
        event.Duration_Seconds__c = (Long) fields.get(CallDispositionEvent.DURATION_SECONDS);
        event.Callback_At__c = (String) fields.get(CallDispositionEvent.CALLBACK_AT);
        event.Notes__c = (String) fields.get(CallDispositionEvent.NOTES);
        return event;
    }

    @Override
    public SObjectDescription description() {
        return DESCRIPTION;
    }

    private static SObjectDescription describe() {
        SObjectDescription description = new SObjectDescription();
        description.setName(CallDispositionEvent.API_NAME);
        description.setLabel("Call Disposition");
        description.setCustom(true);
        List<SObjectField> fields = CallDispositionEvent.FIELD_NAMES.stream()
                .map(name -> createField(name, name, fieldType(name), "xsd:string", 255, false, true, false, false,
                        true, false, false))
                .toList();
        description.setFields(fields);
        return description;
    }

    private static String fieldType(String name) {
        return switch (name) {
            case CallDispositionEvent.CALL_STARTED_AT, CallDispositionEvent.CALL_ENDED_AT,
                    CallDispositionEvent.CALLBACK_AT -> "datetime";
            case CallDispositionEvent.DURATION_SECONDS -> "double";
            case CallDispositionEvent.NOTES -> "textarea";
            default -> "string";
        };
    }

    @JsonProperty("Call_Id__c")
    public String getCall_Id__c() {
        return Call_Id__c;
    }

    @JsonProperty("Call_Id__c")
    public void setCall_Id__c(String value) {
        Call_Id__c = value;
    }

    @JsonProperty("Record_Id__c")
    public String getRecord_Id__c() {
        return Record_Id__c;
    }

    @JsonProperty("Record_Id__c")
    public void setRecord_Id__c(String value) {
        Record_Id__c = value;
    }

    @JsonProperty("Disposition__c")
    public String getDisposition__c() {
        return Disposition__c;
    }

    @JsonProperty("Disposition__c")
    public void setDisposition__c(String value) {
        Disposition__c = value;
    }

    @JsonProperty("Phone__c")
    public String getPhone__c() {
        return Phone__c;
    }

    @JsonProperty("Phone__c")
    public void setPhone__c(String value) {
        Phone__c = value;
    }

    @JsonProperty("Campaign_Id__c")
    public String getCampaign_Id__c() {
        return Campaign_Id__c;
    }

    @JsonProperty("Campaign_Id__c")
    public void setCampaign_Id__c(String value) {
        Campaign_Id__c = value;
    }

    @JsonProperty("Agent_Id__c")
    public String getAgent_Id__c() {
        return Agent_Id__c;
    }

    @JsonProperty("Agent_Id__c")
    public void setAgent_Id__c(String value) {
        Agent_Id__c = value;
    }

    @JsonProperty("Call_Started_At__c")
    public String getCall_Started_At__c() {
        return Call_Started_At__c;
    }

    @JsonProperty("Call_Started_At__c")
    public void setCall_Started_At__c(String value) {
        Call_Started_At__c = value;
    }

    @JsonProperty("Call_Ended_At__c")
    public String getCall_Ended_At__c() {
        return Call_Ended_At__c;
    }

    @JsonProperty("Call_Ended_At__c")
    public void setCall_Ended_At__c(String value) {
        Call_Ended_At__c = value;
    }

    @JsonProperty("Duration_Seconds__c")
    public Long getDuration_Seconds__c() {
        return Duration_Seconds__c;
    }

    @JsonProperty("Duration_Seconds__c")
    public void setDuration_Seconds__c(Long value) {
        Duration_Seconds__c = value;
    }

    @JsonProperty("Callback_At__c")
    public String getCallback_At__c() {
        return Callback_At__c;
    }

    @JsonProperty("Callback_At__c")
    public void setCallback_At__c(String value) {
        Callback_At__c = value;
    }

    @JsonProperty("Notes__c")
    public String getNotes__c() {
        return Notes__c;
    }

    @JsonProperty("Notes__c")
    public void setNotes__c(String value) {
        Notes__c = value;
    }

    /** Never the notes or the phone: the default {@code toString} of camel's DTOs prints every field as JSON. */
    @Override
    public String toString() {
        return "Call_Disposition__e[Call_Id__c=" + Call_Id__c + ", Record_Id__c=" + Record_Id__c
                + ", Disposition__c=" + Disposition__c + "]";
    }
}
