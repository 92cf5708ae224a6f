package io.dialerbridge.emulator.rest;

import static io.dialerbridge.emulator.rest.EmulatorRestClient.V56;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordChange;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.rest.EmulatorRestClient.Reply;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** sObject Collections over HTTP: many records and events in one call, all-or-none or partial, in one transaction. */
class SObjectCollectionsResourceIT {

    private static final String COLLECTIONS = V56 + "composite/sobjects";
    private static final String DISPOSITIONS = "/event/Call_Disposition__e";

    private SalesforceEmulator emulator;
    private EmulatorRestClient api;
    /** Every committed transaction, to tell one commit from several. */
    private final List<List<RecordChange>> commits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        emulator.records().addListener(commits::add);
        api = EmulatorRestClient.loggedIn(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    private static Map<String, Object> record(String type, Object... fieldsAndValues) {
        Map<String, Object> record = new HashMap<>();
        record.put("attributes", Map.of("type", type));
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            record.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return record;
    }

    private static Map<String, Object> lead(String lastName) {
        return record("Lead", "LastName", lastName, "Company", "Acme");
    }

    private static Map<String, Object> disposition(String callId) {
        return record("Call_Disposition__e", "Call_Id__c", callId, "Disposition__c", "ANSWERED");
    }

    private static Map<String, Object> collection(boolean allOrNone, List<Map<String, Object>> records) {
        return Map.of("allOrNone", allOrNone, "records", records);
    }

    private List<StreamingEvent> events(String channel) {
        return emulator.bus().eventsAfter(channel, 0, Integer.MAX_VALUE);
    }

    private static void assertError(JsonNode result, String statusCode) {
        assertThat(result.get("success").asBoolean()).isFalse();
        assertThat(result.get("errors").get(0).get("statusCode").asText()).as(result.toString())
                .isEqualTo(statusCode);
        assertThat(result.get("errors").get(0).has("fields")).isTrue();
    }

    @Nested
    class Create {

        @Test
        void savesRecordsAndPublishesEventsInRequestOrder() throws Exception {
            Reply saved = api.post(COLLECTIONS, collection(false, List.of(lead("Lovelace"), disposition("call-1"),
                    record("Contact", "LastName", "King"))));

            assertThat(saved.status()).isEqualTo(200);
            assertThat(saved.json()).hasSize(3);
            SObjectResourceIT.assertSalesforceId(saved.json().get(0).get("id").asText(), "00Q");
            SObjectResourceIT.assertSalesforceId(saved.json().get(1).get("id").asText(), "e01");
            assertThat(saved.json().get(1).get("errors").get(0).get("statusCode").asText())
                    .isEqualTo("OPERATION_ENQUEUED");
            SObjectResourceIT.assertSalesforceId(saved.json().get(2).get("id").asText(), "003");
            saved.json().forEach(result -> assertThat(result.get("success").asBoolean()).isTrue());
            assertThat(saved.json().get(0).get("errors")).isEmpty();
            assertThat(commits).hasSize(1);
            assertThat(events(DISPOSITIONS)).hasSize(1);
        }

        @Test
        void withAllOrNoneSavesAndPublishesNothingWhenOneItemFails() throws Exception {
            Reply refused = api.post(COLLECTIONS, collection(true, List.of(lead("Lovelace"), disposition("call-1"),
                    record("Lead", "LastName", "NoCompany"))));

            assertThat(refused.status()).isEqualTo(200);
            for (int i = 0; i < 2; i++) {
                assertError(refused.json().get(i), "ALL_OR_NONE_OPERATION_ROLLED_BACK");
                assertThat(refused.json().get(i).get("errors").get(0).get("message").asText())
                        .isEqualTo("Record rolled back because not all records were valid and the request was using"
                                + " AllOrNone header");
                assertThat(refused.json().get(i).has("id")).isFalse();
            }
            assertError(refused.json().get(2), "REQUIRED_FIELD_MISSING");
            assertThat(emulator.records().records(SObjectType.LEAD)).isEmpty();
            assertThat(commits).isEmpty();
            assertThat(events(DISPOSITIONS)).isEmpty();
        }

        @Test
        void withoutAllOrNoneCommitsTheValidItemsInOneTransaction() throws Exception {
            Reply partial = api.post(COLLECTIONS, collection(false, List.of(lead("Lovelace"),
                    record("Lead", "LastName", "NoCompany"), lead("Hopper"), disposition("call-1"))));

            assertThat(partial.json().get(0).get("success").asBoolean()).isTrue();
            assertError(partial.json().get(1), "REQUIRED_FIELD_MISSING");
            assertThat(partial.json().get(2).get("success").asBoolean()).isTrue();
            assertThat(partial.json().get(3).get("success").asBoolean()).isTrue();
            assertThat(commits).singleElement().satisfies(changes -> assertThat(changes).hasSize(2));
            assertThat(emulator.records().records(SObjectType.LEAD)).hasSize(2);
            assertThat(events(DISPOSITIONS)).hasSize(1);
        }

        @Test
        void refusesItemsWithAnIdOrWithoutAType() throws Exception {
            Map<String, Object> untyped = new HashMap<>(lead("Untyped"));
            untyped.remove("attributes");
            Map<String, Object> withId = lead("WithId");
            withId.put("Id", "00Q5f0000000001AAA");

            Reply refused = api.post(COLLECTIONS, collection(false, List.of(withId, untyped,
                    record("Account", "Name", "Acme"), record("Unknown__e", "X__c", "y"))));

            assertError(refused.json().get(0), "INVALID_FIELD");
            assertThat(refused.json().get(0).get("errors").get(0).get("message").asText())
                    .isEqualTo("cannot specify Id in an insert call");
            assertError(refused.json().get(1), "INVALID_TYPE");
            assertError(refused.json().get(2), "INVALID_TYPE");
            assertError(refused.json().get(3), "INVALID_TYPE");
        }

        @Test
        void takesTwoHundredRecordsButNotOneMore() throws Exception {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                records.add(disposition("call-" + i));
            }
            assertThat(api.post(COLLECTIONS, collection(false, records)).json()).hasSize(200);

            records.add(disposition("call-200"));
            Reply refused = api.post(COLLECTIONS, collection(false, records));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
            assertThat(refused.firstError().get("message").asText())
                    .isEqualTo("record limit reached. cannot submit more than 200 records into this call");
            assertThat(events(DISPOSITIONS)).hasSize(200);
        }

        @Test
        void refusesABodyWithoutRecordsAsJsonParserError() throws Exception {
            assertThat(api.post(COLLECTIONS, Map.of("allOrNone", true)).firstError().get("errorCode").asText())
                    .isEqualTo("JSON_PARSER_ERROR");
            assertThat(api.post(COLLECTIONS, "[").firstError().get("errorCode").asText())
                    .isEqualTo("JSON_PARSER_ERROR");
        }
    }

    @Nested
    class UpdateAndDelete {

        private List<String> createLeads(String... lastNames) throws Exception {
            List<Map<String, Object>> records = new ArrayList<>();
            for (String lastName : lastNames) {
                records.add(lead(lastName));
            }
            List<String> ids = new ArrayList<>();
            api.post(COLLECTIONS, collection(true, records)).json().forEach(result -> ids.add(result.get("id")
                    .asText()));
            commits.clear();
            return ids;
        }

        @Test
        void identicalUpdatesToSeveralRecordsBecomeOneChangeEventNamingThemAll() throws Exception {
            List<String> ids = createLeads("Lovelace", "Hopper");
            long before = emulator.bus().lastReplayId();

            Reply updated = api.patch(COLLECTIONS, collection(true, List.of(
                    record("Lead", "Id", ids.get(0), "Status", "Working - Contacted"),
                    record("Lead", "id", ids.get(1), "Status", "Working - Contacted"))));

            assertThat(updated.status()).isEqualTo(200);
            assertThat(updated.json().findValuesAsText("id")).containsExactlyElementsOf(ids);
            assertThat(commits).hasSize(1);
            List<StreamingEvent> changeEvents = emulator.bus().eventsAfter("/data/LeadChangeEvent", before,
                    Integer.MAX_VALUE);
            assertThat(changeEvents).singleElement().satisfies(event -> {
                Map<?, ?> header = (Map<?, ?>) ((Map<?, ?>) event.data().get("payload")).get("ChangeEventHeader");
                assertThat(header.get("changeType")).isEqualTo("UPDATE");
                assertThat(header.get("recordIds")).isEqualTo(ids);
            });
        }

        @Test
        void reportsMissingAndDeletedRecordsPerItem() throws Exception {
            List<String> ids = createLeads("Lovelace", "Gone");
            api.delete(V56 + "sobjects/Lead/" + ids.get(1));
            commits.clear();

            Reply partial = api.patch(COLLECTIONS, collection(false, List.of(
                    record("Lead", "Id", ids.get(0), "Phone", "1"),
                    record("Lead", "Id", ids.get(1), "Phone", "2"),
                    record("Lead", "Phone", "3"),
                    record("Lead", "Id", "00Q5f0000ZZZZZZ", "Phone", "4"))));

            assertThat(partial.json().get(0).get("success").asBoolean()).isTrue();
            assertError(partial.json().get(1), "ENTITY_IS_DELETED");
            assertError(partial.json().get(2), "MISSING_ARGUMENT");
            assertError(partial.json().get(3), "INVALID_CROSS_REFERENCE_KEY");
            assertThat(commits).singleElement().satisfies(changes -> assertThat(changes).hasSize(1));
        }

        @Test
        void deletesByIdsInOneTransaction() throws Exception {
            List<String> ids = createLeads("Lovelace", "Hopper");

            Reply deleted = api.delete(COLLECTIONS + "?allOrNone=true&ids=" + String.join(",", ids));

            assertThat(deleted.status()).isEqualTo(200);
            deleted.json().forEach(result -> assertThat(result.get("success").asBoolean()).isTrue());
            assertThat(commits).singleElement().satisfies(changes -> assertThat(changes).hasSize(2));
            assertThat(emulator.records().records(SObjectType.LEAD)).isEmpty();
        }

        @Test
        void withAllOrNoneDeletesNothingWhenOneIdIsBad() throws Exception {
            List<String> ids = createLeads("Lovelace");

            Reply refused = api.delete(COLLECTIONS + "?allOrNone=true&ids=" + ids.get(0) + ",nonsense");

            assertError(refused.json().get(0), "ALL_OR_NONE_OPERATION_ROLLED_BACK");
            assertError(refused.json().get(1), "MALFORMED_ID");
            assertThat(emulator.records().records(SObjectType.LEAD)).hasSize(1);
        }
    }

    @Test
    void needsApiVersion42AndTheRightMethod() throws Exception {
        assertThat(api.post("/services/data/v37.0/composite/sobjects", collection(false, List.of(lead("L"))))
                .status()).isEqualTo(404);
        Reply refused = api.get(COLLECTIONS);
        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("METHOD_NOT_ALLOWED");
    }
}
