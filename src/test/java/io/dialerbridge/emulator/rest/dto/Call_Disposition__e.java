package io.dialerbridge.emulator.rest.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * The shape a generated DTO for the dialer's disposition platform event takes, so tests can publish dispositions
 * through camel's sObject Collections operation as the reverse route will. The constructor sets
 * {@code attributes.type}, which every collection record must carry.
 */
public class Call_Disposition__e extends AbstractDescribedSObjectBase {

    private String Call_Id__c;
    private String Record_Id__c;
    private String Disposition__c;
    private Integer Duration_Seconds__c;

    public Call_Disposition__e() {
        getAttributes().setType("Call_Disposition__e");
    }

    public Call_Disposition__e(String callId, String recordId, String disposition, Integer durationSeconds) {
        this();
        Call_Id__c = callId;
        Record_Id__c = recordId;
        Disposition__c = disposition;
        Duration_Seconds__c = durationSeconds;
    }

    @JsonProperty("Call_Id__c")
    public String getCall_Id__c() {
        return Call_Id__c;
    }

    @JsonProperty("Call_Id__c")
    public void setCall_Id__c(String callId) {
        Call_Id__c = callId;
    }

    @JsonProperty("Record_Id__c")
    public String getRecord_Id__c() {
        return Record_Id__c;
    }

    @JsonProperty("Record_Id__c")
    public void setRecord_Id__c(String recordId) {
        Record_Id__c = recordId;
    }

    @JsonProperty("Disposition__c")
    public String getDisposition__c() {
        return Disposition__c;
    }

    @JsonProperty("Disposition__c")
    public void setDisposition__c(String disposition) {
        Disposition__c = disposition;
    }

    @JsonProperty("Duration_Seconds__c")
    public Integer getDuration_Seconds__c() {
        return Duration_Seconds__c;
    }

    @JsonProperty("Duration_Seconds__c")
    public void setDuration_Seconds__c(Integer durationSeconds) {
        Duration_Seconds__c = durationSeconds;
    }

    @Override
    public SObjectDescription description() {
        SObjectDescription description = new SObjectDescription();
        description.setName("Call_Disposition__e");
        return description;
    }
}
