package io.dialerbridge.emulator.rest.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * A hand-written stand-in for the Lead DTO camel-salesforce-maven-plugin would generate, so producer tests read
 * records the way a generated-DTO route does. Field names match the API names because camel's null filter reads
 * fields by their JSON name.
 */
public class Lead extends AbstractDescribedSObjectBase {

    private String FirstName;
    private String LastName;
    private String Company;
    private String Phone;
    private String Status;

    public Lead() {
        getAttributes().setType("Lead");
    }

    @JsonProperty("FirstName")
    public String getFirstName() {
        return FirstName;
    }

    @JsonProperty("FirstName")
    public void setFirstName(String firstName) {
        FirstName = firstName;
    }

    @JsonProperty("LastName")
    public String getLastName() {
        return LastName;
    }

    @JsonProperty("LastName")
    public void setLastName(String lastName) {
        LastName = lastName;
    }

    @JsonProperty("Company")
    public String getCompany() {
        return Company;
    }

    @JsonProperty("Company")
    public void setCompany(String company) {
        Company = company;
    }

    @JsonProperty("Phone")
    public String getPhone() {
        return Phone;
    }

    @JsonProperty("Phone")
    public void setPhone(String phone) {
        Phone = phone;
    }

    @JsonProperty("Status")
    public String getStatus() {
        return Status;
    }

    @JsonProperty("Status")
    public void setStatus(String status) {
        Status = status;
    }

    @Override
    public SObjectDescription description() {
        SObjectDescription description = new SObjectDescription();
        description.setName("Lead");
        return description;
    }
}
