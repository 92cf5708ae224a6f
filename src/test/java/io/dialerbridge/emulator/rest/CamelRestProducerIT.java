package io.dialerbridge.emulator.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.CamelStreamingFixture;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.rest.dto.Call_Disposition__e;
import io.dialerbridge.emulator.rest.dto.Lead;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.NoSuchSObjectException;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.CreateSObjectResult;
import org.apache.camel.component.salesforce.api.dto.SaveSObjectResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real camel-salesforce producer against the emulator's REST API: single-record operations, SOQL, and
 * publishing platform events in batches through sObject Collections.
 *
 * <p>How {@code compositeCreateSObjectCollections} takes its input (read in camel 4.17's
 * CompositeSObjectCollectionsProcessor and DefaultCompositeSObjectCollectionsApiClient): the message body is cast,
 * unchecked, to {@code List<AbstractDescribedSObjectBase>} and set as the {@code records} of an
 * {@code SObjectCollection}; {@code allOrNone} comes from the {@code allOrNone} header or endpoint option (default
 * false). The collection is written with camel's ObjectMapper, so each record is serialized by its runtime class:
 * a generated (or hand-written) DTO whose constructor sets {@code attributes.type} is the supported form, and a
 * {@code List<Map>} whose maps carry {@code "attributes":{"type":…}} also goes through unchanged, since the cast is
 * erased. The answer is a {@code List<SaveSObjectResult>}, one per record in request order; a publish's
 * OPERATION_ENQUEUED comes back as an "error" whose {@code errorCode} holds that status, on a successful result.
 * Item failures do not fail the exchange; only a refused call (HTTP 400, e.g. more than 200 records) does.
 */
class CamelRestProducerIT {

    private final ObjectMapper json = new ObjectMapper();
    private CamelStreamingFixture fixture;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        fixture = new CamelStreamingFixture(EmulatorSettings.dialerOrg());
        // lets getSObject with sObjectName=Lead answer the Lead DTO, as it would with generated DTOs
        fixture.salesforce().setPackages(Lead.class.getPackageName());
        fixture.camel().start();
        producer = fixture.camel().createProducerTemplate();
    }

    @AfterEach
    void stop() throws Exception {
        producer.close();
        fixture.close();
    }

    private List<StreamingEvent> dispositions() {
        return fixture.emulator().bus().eventsAfter("/event/Call_Disposition__e", 0, Integer.MAX_VALUE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(StreamingEvent event) {
        return (Map<String, Object>) event.data().get("payload");
    }

    @Test
    void createsReadsUpdatesAndDeletesALead() throws Exception {
        CreateSObjectResult created = producer.requestBody("salesforce:createSObject?sObjectName=Lead",
                "{\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"Company\":\"Analytical\"}",
                CreateSObjectResult.class);
        assertThat(created.getSuccess()).isTrue();
        String id = created.getId();
        SObjectResourceIT.assertSalesforceId(id, "00Q");

        Lead lead = producer.requestBodyAndHeader("salesforce:getSObject?sObjectName=Lead", null, "sObjectId", id,
                Lead.class);
        assertThat(lead.getLastName()).isEqualTo("Lovelace");
        assertThat(lead.getName()).isEqualTo("Ada Lovelace");
        assertThat(lead.getCreatedDate()).as("REST date-time parsed by camel").isNotNull();

        String raw = producer.requestBodyAndHeader("salesforce:getSObject?sObjectName=Lead&rawPayload=true"
                + "&sObjectFields=Id,Status", null, "sObjectId", id, String.class);
        assertThat(json.readTree(raw).get("Status").asText()).isEqualTo("Open - Not Contacted");

        producer.requestBodyAndHeader("salesforce:updateSObject?sObjectName=Lead", "{\"Phone\":\"+14155550134\"}",
                "sObjectId", id);
        assertThat(fixture.emulator().records().find(id).orElseThrow().get("Phone")).isEqualTo("+14155550134");

        producer.requestBodyAndHeader("salesforce:deleteSObject?sObjectName=Lead", null, "sObjectId", id);
        assertThat(fixture.emulator().records().find(id)).isEmpty();
    }

    @Test
    void queriesWithRawPayload() throws Exception {
        fixture.create(SObjectType.LEAD, Map.of("LastName", "Hopper", "Company", "Navy"));
        fixture.create(SObjectType.LEAD, Map.of("LastName", "Lovelace", "Company", "Analytical"));

        String raw = producer.requestBody("salesforce:query?rawPayload=true",
                "SELECT Id, LastName FROM Lead WHERE Company = 'Navy'", String.class);

        JsonNode result = json.readTree(raw);
        assertThat(result.get("totalSize").asInt()).isEqualTo(1);
        assertThat(result.get("records").get(0).get("LastName").asText()).isEqualTo("Hopper");
    }

    @Test
    void pagesThroughAResultWithQueryMoreAndReadsTheRecycleBinWithQueryAll() throws Exception {
        io.dialerbridge.emulator.data.RecordStore.Transaction setup = fixture.emulator().records()
                .begin(fixture.emulator().settings().userId(), "");
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            ids.add(setup.create(SObjectType.LEAD, Map.of("LastName", "Lead" + i, "Company", "Paged")));
        }
        setup.commit();
        fixture.delete(SObjectType.LEAD, ids.get(0));

        // camel passes every Sforce-* header of the exchange on to Salesforce.
        JsonNode first = json.readTree(producer.requestBodyAndHeader("salesforce:query?rawPayload=true",
                "SELECT Id FROM Lead", "Sforce-Query-Options", "batchSize=200", String.class));
        assertThat(first.get("done").asBoolean()).isFalse();
        assertThat(first.get("records")).hasSize(200);
        // queryMore takes the nextRecordsUrl where query takes its SOQL.
        JsonNode second = json.readTree(producer.requestBody("salesforce:queryMore?rawPayload=true",
                first.get("nextRecordsUrl").asText(), String.class));
        assertThat(second.get("done").asBoolean()).isTrue();
        assertThat(second.get("records")).hasSize(49);

        JsonNode binned = json.readTree(producer.requestBody("salesforce:queryAll?rawPayload=true",
                "SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true", String.class));
        assertThat(binned.get("records")).singleElement().satisfies(record -> {
            assertThat(record.get("Id").asText()).isEqualTo(ids.get(0));
            assertThat(record.get("IsDeleted").asBoolean()).isTrue();
        });
    }

    @Test
    void surfacesRefusalsAsSalesforceExceptionsWithTheErrorCode() {
        assertThatThrownBy(() -> producer.requestBody("salesforce:createSObject?sObjectName=Lead",
                "{\"LastName\":\"Lovelace\",\"Company\":\"A\",\"Shoe\":\"9\"}"))
                .isInstanceOf(CamelExecutionException.class)
                .cause().isInstanceOfSatisfying(SalesforceException.class, refused -> {
                    assertThat(refused.getStatusCode()).isEqualTo(400);
                    assertThat(refused.getErrors().get(0).getErrorCode()).isEqualTo("INVALID_FIELD");
                });
        assertThatThrownBy(() -> producer.requestBodyAndHeader("salesforce:getSObject?sObjectName=Lead"
                + "&rawPayload=true", null, "sObjectId", "00Q5f0000ZZZZZZ"))
                .cause().isInstanceOf(NoSuchSObjectException.class);
    }

    @Test
    void publishesDispositionDtosInOneCollectionsCall() {
        List<AbstractDescribedSObjectBase> batch = List.of(
                new Call_Disposition__e("call-1", "00Q5f0000000001AAA", "ANSWERED", 42),
                new Call_Disposition__e("call-2", "00Q5f0000000002AAA", "NO_ANSWER", 0));

        List<?> results = producer.requestBodyAndHeader("salesforce:compositeCreateSObjectCollections", batch,
                "allOrNone", true, List.class);

        assertThat(results).hasSize(2).allSatisfy(result -> {
            SaveSObjectResult saved = (SaveSObjectResult) result;
            assertThat(saved.getSuccess()).isTrue();
            assertThat(saved.getId()).startsWith("e01");
            assertThat(saved.getErrors().get(0).getErrorCode()).isEqualTo("OPERATION_ENQUEUED");
        });
        assertThat(dispositions()).extracting(event -> (Object) payload(event).get("Call_Id__c"))
                .containsExactly("call-1", "call-2");
        Map<String, Object> payload = payload(dispositions().get(0));
        assertThat(payload.get("Duration_Seconds__c")).isEqualTo(42);
        assertThat(payload).doesNotContainKeys("Id", "Name", "OwnerId", "attributes");
    }

    @Test
    void publishesMapsCarryingAttributesTooBecauseTheCastIsUnchecked() {
        Map<String, Object> disposition = new LinkedHashMap<>();
        disposition.put("attributes", Map.of("type", "Call_Disposition__e"));
        disposition.put("Call_Id__c", "call-3");
        disposition.put("Disposition__c", "BUSY");

        List<?> results = producer.requestBody("salesforce:compositeCreateSObjectCollections",
                List.of(disposition), List.class);

        assertThat(((SaveSObjectResult) results.get(0)).getSuccess()).isTrue();
        assertThat(dispositions()).hasSize(1);
    }

    @Test
    void withAllOrNoneAnswersEveryItemAndPublishesNothingWhenOneIsBad() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("attributes", Map.of("type", "Call_Disposition__e"));
        bad.put("Not_A_Field__c", "x");
        List<Object> batch = List.of(new Call_Disposition__e("call-1", null, "ANSWERED", 5), bad);

        List<?> results = producer.requestBodyAndHeader("salesforce:compositeCreateSObjectCollections", batch,
                "allOrNone", true, List.class);

        assertThat(results).extracting(result -> ((SaveSObjectResult) result).getErrors().get(0).getErrorCode())
                .containsExactly("ALL_OR_NONE_OPERATION_ROLLED_BACK", "INVALID_FIELD");
        assertThat(dispositions()).isEmpty();
    }
}
