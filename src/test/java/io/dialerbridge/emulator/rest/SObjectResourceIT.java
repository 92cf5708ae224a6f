package io.dialerbridge.emulator.rest;

import static io.dialerbridge.emulator.rest.EmulatorRestClient.V56;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.CaseSafeId;
import io.dialerbridge.emulator.rest.EmulatorRestClient.Reply;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Single-record REST over HTTP: create, read, update, delete, platform event publish, and the gate in front. */
class SObjectResourceIT {

    private static final String REST_DATE_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\+0000";

    private SalesforceEmulator emulator;
    private EmulatorRestClient api;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        api = EmulatorRestClient.loggedIn(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    private String createLead() throws Exception {
        Reply created = api.post(V56 + "sobjects/Lead",
                Map.of("FirstName", "Ada", "LastName", "Lovelace", "Company", "Analytical", "Phone", "+14155550134"));
        assertThat(created.status()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    static void assertSalesforceId(String id, String keyPrefix) {
        assertThat(id).hasSize(18).startsWith(keyPrefix);
        assertThat(CaseSafeId.isValid(id)).as("checksum of %s", id).isTrue();
    }

    @Nested
    class Create {

        @Test
        void answers201WithAnEighteenCharacterIdOfTheObjectsPrefix() throws Exception {
            Reply created = api.post(V56 + "sobjects/Lead", Map.of("LastName", "Lovelace", "Company", "Analytical"));

            assertThat(created.status()).isEqualTo(201);
            assertThat(created.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertSalesforceId(created.json().get("id").asText(), "00Q");
            assertThat(created.json().get("success").asBoolean()).isTrue();
            assertThat(created.json().get("errors")).isEmpty();
            assertSalesforceId(api.post(V56 + "sobjects/Contact", Map.of("LastName", "King")).json().get("id")
                    .asText(), "003");
        }

        @Test
        void refusesAnUnknownField() throws Exception {
            Reply refused = api.post(V56 + "sobjects/Lead", Map.of("LastName", "L", "Company", "C", "Shoe", "9"));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("INVALID_FIELD");
            assertThat(refused.firstError().get("fields").get(0).asText()).isEqualTo("Shoe");
        }

        @Test
        void refusesMissingRequiredFields() throws Exception {
            Reply refused = api.post(V56 + "sobjects/Lead", Map.of("FirstName", "Ada"));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        }

        @Test
        void answersJsonParserErrorForBrokenJson() throws Exception {
            Reply refused = api.post(V56 + "sobjects/Lead", "{\"LastName\": ");

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
        }

        @Test
        void answersNotFoundForAnUnknownObject() throws Exception {
            Reply refused = api.post(V56 + "sobjects/Account", Map.of("Name", "Acme"));

            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("NOT_FOUND");
        }

        @Test
        void publishesAPlatformEventAndAnswersOperationEnqueued() throws Exception {
            Reply published = api.post(V56 + "sobjects/Call_Disposition__e",
                    Map.of("Call_Id__c", "call-1", "Disposition__c", "NO_ANSWER"));

            assertThat(published.status()).isEqualTo(201);
            assertSalesforceId(published.json().get("id").asText(), "e01");
            JsonNode enqueued = published.json().get("errors").get(0);
            assertThat(enqueued.get("statusCode").asText()).isEqualTo("OPERATION_ENQUEUED");
            String eventUuid = enqueued.get("message").asText();
            List<StreamingEvent> events = emulator.bus().eventsAfter("/event/Call_Disposition__e", 0,
                    Integer.MAX_VALUE);
            assertThat(events).singleElement()
                    .satisfies(event -> assertThat(((Map<?, ?>) event.data().get("event")).get("EventUuid"))
                            .isEqualTo(eventUuid));
        }
    }

    @Nested
    class ReadUpdateDelete {

        @Test
        void readsEveryFieldAfterAttributesWithRestDateTimes() throws Exception {
            String id = createLead();

            Reply read = api.get(V56 + "sobjects/Lead/" + id);

            assertThat(read.status()).isEqualTo(200);
            List<String> names = new ArrayList<>();
            read.json().fieldNames().forEachRemaining(names::add);
            assertThat(names.get(0)).isEqualTo("attributes");
            assertThat(read.json().get("attributes").get("type").asText()).isEqualTo("Lead");
            assertThat(read.json().get("attributes").get("url").asText())
                    .isEqualTo("/services/data/v56.0/sobjects/Lead/" + id);
            assertThat(read.json().get("Id").asText()).isEqualTo(id);
            assertThat(read.json().get("Name").asText()).isEqualTo("Ada Lovelace");
            assertThat(read.json().get("CreatedDate").asText()).matches(REST_DATE_TIME);
        }

        @Test
        void readsOnlyTheAskedFieldsInTheirCanonicalCase() throws Exception {
            String id = createLead();

            Reply read = api.get(V56 + "sobjects/Lead/" + id.substring(0, 15) + "?fields=firstname,PHONE");

            List<String> names = new ArrayList<>();
            read.json().fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("attributes", "FirstName", "Phone");
        }

        @Test
        void updatesWith204AndNoBody() throws Exception {
            String id = createLead();

            Reply updated = api.patch(V56 + "sobjects/Lead/" + id, Map.of("Phone", "+14155550199"));

            assertThat(updated.status()).isEqualTo(204);
            assertThat(updated.body()).isEmpty();
            assertThat(api.get(V56 + "sobjects/Lead/" + id).json().get("Phone").asText()).isEqualTo("+14155550199");
        }

        @Test
        void deletesWith204AndThenNoLongerFindsTheRecord() throws Exception {
            String id = createLead();

            assertThat(api.delete(V56 + "sobjects/Lead/" + id).status()).isEqualTo(204);

            Reply gone = api.get(V56 + "sobjects/Lead/" + id);
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.firstError().get("errorCode").asText()).isEqualTo("NOT_FOUND");
            assertThat(gone.firstError().get("message").asText()).isEqualTo("The requested resource does not exist");
        }

        @Test
        void refusesAMalformedIdNamingTheObject() throws Exception {
            Reply refused = api.get(V56 + "sobjects/Lead/00Qnotanid");

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("MALFORMED_ID");
            assertThat(refused.firstError().get("message").asText())
                    .isEqualTo("Lead ID: id value of incorrect type: 00Qnotanid");
            assertThat(refused.firstError().get("fields").get(0).asText()).isEqualTo("Id");
        }

        @Test
        void refusesAnotherObjectsIdAsMalformed() throws Exception {
            String contactId = api.post(V56 + "sobjects/Contact", Map.of("LastName", "King")).json().get("id")
                    .asText();

            Reply refused = api.patch(V56 + "sobjects/Lead/" + contactId, Map.of("Phone", "1"));

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("MALFORMED_ID");
        }

        @Test
        void answersNotFoundForAWellFormedUnknownId() throws Exception {
            Reply missing = api.delete(V56 + "sobjects/Lead/" + CaseSafeId.of("00Q5f0000ZZZZZZ"));

            assertThat(missing.status()).isEqualTo(404);
        }

        @Test
        void answers405NamingTheAllowedMethods() throws Exception {
            String id = createLead();

            Reply refused = api.send("PUT", V56 + "sobjects/Lead/" + id, Map.of("Phone", "1"), true);

            assertThat(refused.status()).isEqualTo(405);
            assertThat(refused.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("METHOD_NOT_ALLOWED");
            assertThat(refused.firstError().get("message").asText())
                    .isEqualTo("HTTP Method 'PUT' not allowed. Allowed are HEAD,GET,PATCH,DELETE");
        }
    }

    @Nested
    class Gate {

        @Test
        void refusesACallWithoutATokenAsAnInvalidSession() throws Exception {
            Reply refused = api.send("GET", V56 + "query?q=SELECT+Id+FROM+Lead", null, false);

            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
            assertThat(refused.firstError().get("message").asText()).isEqualTo("Session expired or invalid");
        }

        @Test
        void answers503WhileBusyThenServesAgain() throws Exception {
            emulator.traffic().answerBusy(ApiTraffic.Api.REST, 2);

            Reply first = api.get(V56 + "query?q=SELECT+Id+FROM+Lead");
            Reply second = api.get(V56 + "query?q=SELECT+Id+FROM+Lead");
            Reply third = api.get(V56 + "query?q=SELECT+Id+FROM+Lead");

            assertThat(List.of(first.status(), second.status(), third.status())).containsExactly(503, 503, 200);
            assertThat(first.firstError().get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        }

        @Test
        void countsEveryApiCallPerEndpoint() throws Exception {
            String id = createLead();
            api.get(V56 + "sobjects/Lead/" + id);
            api.get(V56 + "sobjects/Lead/" + id);

            Reply calls = api.send("GET", "/emulator/api-calls", null, false);

            assertThat(calls.json().get("POST /services/data/v56.0/sobjects/Lead").asLong()).isEqualTo(1);
            assertThat(calls.json().get("GET /services/data/v56.0/sobjects/Lead/" + id).asLong()).isEqualTo(2);
        }

        @Test
        void theAdminApiAnswersMalformedJsonWith400() throws Exception {
            Reply malformed = api.send("POST", "/emulator/cdc/gap", "{not json", false);

            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.json().get(0).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
        }

        @Test
        void answersNotFoundForUnknownResourcesAndVersions() throws Exception {
            for (String path : List.of(V56 + "limits", V56 + "sobjects/Lead/" + "a/b/c", "/services/data/v99.0/query",
                    "/services/data/v37.0/composite/sobjects")) {
                Reply missing = api.get(path);
                assertThat(missing.status()).as(path).isEqualTo(404);
                assertThat(missing.contentType()).as(path).isEqualToIgnoringCase("application/json;charset=UTF-8");
                assertThat(missing.firstError().get("errorCode").asText()).as(path).isEqualTo("NOT_FOUND");
            }
        }

        @Test
        void listsVersionsWithoutASession() throws Exception {
            Reply versions = api.send("GET", "/services/data", null, false);

            assertThat(versions.status()).isEqualTo(200);
            assertThat(versions.json().findValuesAsText("version")).contains("56.0");
        }
    }
}
