package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.CAMPAIGN;
import static io.dialerbridge.disposition.DispositionFixtures.LEAD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.apache.camel.component.salesforce.api.dto.composite.SObjectCollection;
import org.apache.camel.component.salesforce.api.utils.JsonUtils;
import org.junit.jupiter.api.Test;

class CallDispositionSObjectTest {

    /** The mapper camel-salesforce serialises sObject Collections requests with. */
    private static final ObjectMapper CAMEL = JsonUtils.createObjectMapper();

    private static Disposition disposition(String notes, String campaign) {
        return new Disposition("c-1", LEAD, DispositionCode.FOLLOW_UP_LATER, "+14155550134", campaign, null,
                Instant.parse("2026-11-27T15:04:05.123456Z"), Instant.parse("2026-11-27T15:06:10Z"), 125L,
                Instant.parse("2026-11-28T17:00:00Z"), notes);
    }

    private static JsonNode serialised(Disposition disposition) throws Exception {
        SObjectCollection collection = new SObjectCollection();
        collection.setAllOrNone(false);
        collection.setRecords(List.of(CallDispositionSObject.of(disposition)));
        return CAMEL.readTree(CAMEL.writeValueAsString(collection)).get("records").get(0);
    }

    @Test
    void isSentAsTheContractsFieldsWithItsType() throws Exception {
        JsonNode record = serialised(disposition("call back", CAMPAIGN));

        assertThat(record.at("/attributes/type").asText()).isEqualTo("Call_Disposition__e");
        assertThat(record.get("Call_Id__c").asText()).isEqualTo("c-1");
        assertThat(record.get("Record_Id__c").asText()).isEqualTo(LEAD);
        assertThat(record.get("Disposition__c").asText()).isEqualTo("FOLLOW_UP_LATER");
        assertThat(record.get("Phone__c").asText()).isEqualTo("+14155550134");
        assertThat(record.get("Campaign_Id__c").asText()).isEqualTo(CAMPAIGN);
        assertThat(record.get("Call_Started_At__c").asText()).isEqualTo("2026-11-27T15:04:05.123Z");
        assertThat(record.get("Call_Ended_At__c").asText()).isEqualTo("2026-11-27T15:06:10.000Z");
        assertThat(record.get("Callback_At__c").asText()).isEqualTo("2026-11-28T17:00:00.000Z");
        assertThat(record.get("Duration_Seconds__c").asLong()).isEqualTo(125);
        assertThat(record.get("Notes__c").asText()).isEqualTo("call back");
    }

    @Test
    void absentValuesAndCamelsSystemFieldsAreLeftOut() throws Exception {
        JsonNode record = serialised(disposition(null, null));

        List<String> names = new java.util.ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        assertThat(names).doesNotContain("Notes__c", "Campaign_Id__c", "Agent_Id__c", "Id", "Name", "OwnerId",
                "CreatedDate", "IsDeleted");
    }

    @Test
    void describesItselfAsThePlatformEvent() {
        assertThat(CallDispositionSObject.of(disposition(null, null)).description().getName())
                .isEqualTo("Call_Disposition__e");
    }

    @Test
    void printsNeitherPhoneNorNotes() {
        assertThat(CallDispositionSObject.of(disposition("secret notes", null)).toString())
                .doesNotContain("secret").doesNotContain("4155550134").contains("c-1");
    }
}
