package io.dialerbridge.emulator.rest;

import static io.dialerbridge.emulator.rest.EmulatorRestClient.V56;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.rest.EmulatorRestClient.Reply;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rules PushTopic and StreamingChannel writes obey over REST, and how camel's PushTopic lookup reads them. */
class StreamingSetupRulesIT {

    /** What camel's PushTopicHelper asks before it creates or updates a topic. */
    private static final String CAMEL_TOPIC_LOOKUP = "SELECT Id, Name, Query, ApiVersion, IsActive, NotifyForFields,"
            + " NotifyForOperations, NotifyForOperationCreate, NotifyForOperationDelete, NotifyForOperationUndelete,"
            + " NotifyForOperationUpdate, Description FROM PushTopic WHERE Name = '%s'";

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

    private static Map<String, Object> topic(String name, String query) {
        Map<String, Object> topic = new HashMap<>();
        topic.put("Name", name);
        topic.put("Query", query);
        topic.put("ApiVersion", 56.0);
        return topic;
    }

    private Reply createTopic(Map<String, Object> topic) throws Exception {
        return api.post(V56 + "sobjects/PushTopic", topic);
    }

    private JsonNode lookUp(String name) throws Exception {
        String soql = String.format(CAMEL_TOPIC_LOOKUP, name);
        return api.get(V56 + "query/?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"))
                .json();
    }

    private static JsonNode refusal(Reply reply, String errorCode) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.firstError().get("errorCode").asText()).as(reply.body()).isEqualTo(errorCode);
        return reply.firstError();
    }

    @Nested
    class PushTopics {

        @Test
        void areFoundByCamelsLookupWithEveryFieldItReads() throws Exception {
            Reply created = createTopic(topic("DialerLeads", "SELECT Id, FirstName FROM Lead"));
            SObjectResourceIT.assertSalesforceId(created.json().get("id").asText(), "0IF");

            JsonNode found = lookUp("DialerLeads");

            assertThat(found.get("totalSize").asInt()).isEqualTo(1);
            JsonNode record = found.get("records").get(0);
            assertThat(record.get("Id").asText()).isEqualTo(created.json().get("id").asText());
            assertThat(record.get("Query").asText()).isEqualTo("SELECT Id, FirstName FROM Lead");
            assertThat(record.get("ApiVersion").asDouble()).isEqualTo(56.0);
            assertThat(record.get("IsActive").asBoolean()).isTrue();
            assertThat(record.get("NotifyForFields").asText()).isEqualTo("Referenced");
            assertThat(record.get("NotifyForOperations").asText()).isEqualTo("All");
            for (String flag : List.of("Create", "Update", "Delete", "Undelete")) {
                assertThat(record.get("NotifyForOperation" + flag).asBoolean()).as(flag).isTrue();
            }
            assertThat(record.has("Description")).isTrue();
            assertThat(lookUp("Elsewhere").get("totalSize").asInt()).isZero();
        }

        @Test
        void deriveNotifyForOperationsFromTheCreateAndUpdateFlags() throws Exception {
            String id = createTopic(topic("DialerLeads", "SELECT Id, FirstName FROM Lead")).json().get("id")
                    .asText();
            Map<List<Boolean>, String> expected = Map.of(List.of(true, true), "All", List.of(true, false), "Create",
                    List.of(false, true), "Update", List.of(false, false), "Extended");

            for (Map.Entry<List<Boolean>, String> flags : expected.entrySet()) {
                assertThat(api.patch(V56 + "sobjects/PushTopic/" + id, Map.of(
                        "NotifyForOperationCreate", flags.getKey().get(0),
                        "NotifyForOperationUpdate", flags.getKey().get(1),
                        "NotifyForOperationDelete", false)).status()).isEqualTo(204);

                assertThat(lookUp("DialerLeads").get("records").get(0).get("NotifyForOperations").asText())
                        .as("create/update %s", flags.getKey()).isEqualTo(flags.getValue());
            }
        }

        @Test
        void refuseWritingTheReadOnlyNotifyForOperations() throws Exception {
            Map<String, Object> topic = topic("DialerLeads", "SELECT Id, FirstName FROM Lead");
            topic.put("NotifyForOperations", "All");

            refusal(createTopic(topic), "INVALID_FIELD_FOR_INSERT_UPDATE");
        }

        @Test
        void refuseQueriesStreamingCannotEvaluate() throws Exception {
            assertThat(refusal(createTopic(topic("Ordered", "SELECT Id, FirstName FROM Lead ORDER BY FirstName")),
                    "INVALID_FIELD").get("message").asText()).isEqualTo("'ORDER BY' clause is not allowed");
            assertThat(refusal(createTopic(topic("Counted", "SELECT COUNT() FROM Lead")), "INVALID_FIELD")
                    .get("message").asText()).isEqualTo("Aggregate queries are not supported");
            refusal(createTopic(topic("NoId", "SELECT FirstName FROM Lead")), "INVALID_FIELD");
            refusal(createTopic(topic("Broken", "SELECT Id FROM")), "MALFORMED_QUERY");
        }

        @Test
        void refuseObjectsWithoutStreamingAndUnknownFields() throws Exception {
            refusal(createTopic(topic("Accounts", "SELECT Id, Name FROM Account")), "INVALID_TYPE");
            refusal(createTopic(topic("Channels", "SELECT Id, Name FROM StreamingChannel")), "INVALID_TYPE");
            assertThat(refusal(createTopic(topic("Shoes", "SELECT Id, Shoe__c FROM Lead")), "INVALID_FIELD")
                    .get("message").asText()).startsWith("No such column 'Shoe__c' on entity 'Lead'.");
        }

        @Test
        void refuseLongAndDuplicateNames() throws Exception {
            refusal(createTopic(topic("A".repeat(26), "SELECT Id, FirstName FROM Lead")), "STRING_TOO_LONG");
            String id = createTopic(topic("A".repeat(25), "SELECT Id, FirstName FROM Lead")).json().get("id")
                    .asText();

            JsonNode duplicate = refusal(createTopic(topic("a".repeat(25), "SELECT Id, LastName FROM Lead")),
                    "DUPLICATE_VALUE");

            assertThat(duplicate.get("message").asText()).endsWith(id);
            assertThat(api.patch(V56 + "sobjects/PushTopic/" + id, Map.of("Name", "A".repeat(25))).status())
                    .as("a topic keeps its own name").isEqualTo(204);
        }

        @Test
        void refuseApiVersionsUpToTwenty() throws Exception {
            Map<String, Object> topic = topic("Old", "SELECT Id, FirstName FROM Lead");
            topic.put("ApiVersion", 20.0);

            refusal(createTopic(topic), "FIELD_INTEGRITY_EXCEPTION");
        }

        @Test
        void refuseNotifyForFieldsOutsideThePicklistOrWithNothingToWatch() throws Exception {
            Map<String, Object> unknown = topic("Sometimes", "SELECT Id, FirstName FROM Lead");
            unknown.put("NotifyForFields", "Sometimes");
            refusal(createTopic(unknown), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");

            Map<String, Object> noWhere = topic("NoWhere", "SELECT Id, FirstName FROM Lead");
            noWhere.put("NotifyForFields", "Where");
            refusal(createTopic(noWhere), "INVALID_FIELD");
        }

        @Test
        void checkTheQueryOnUpdateToo() throws Exception {
            String id = createTopic(topic("DialerLeads", "SELECT Id, FirstName FROM Lead")).json().get("id")
                    .asText();

            refusal(api.patch(V56 + "sobjects/PushTopic/" + id,
                    Map.of("Query", "SELECT Id, FirstName FROM Lead LIMIT 5")), "INVALID_FIELD");
            assertThat(lookUp("DialerLeads").get("records").get(0).get("Query").asText())
                    .isEqualTo("SELECT Id, FirstName FROM Lead");
        }
    }

    @Nested
    class StreamingChannels {

        @Test
        void mustBeNamedUnderSlashU() throws Exception {
            refusal(api.post(V56 + "sobjects/StreamingChannel", Map.of("Name", "DialerStatus")),
                    "FIELD_INTEGRITY_EXCEPTION");

            Reply created = api.post(V56 + "sobjects/StreamingChannel", Map.of("Name", "/u/DialerStatus"));

            assertThat(created.status()).isEqualTo(201);
            SObjectResourceIT.assertSalesforceId(created.json().get("id").asText(), "0M6");
        }

        @Test
        void areUniqueByExactName() throws Exception {
            refusal(api.post(V56 + "sobjects/StreamingChannel", Map.of("Name", "/u/DialerControl")),
                    "DUPLICATE_VALUE");

            assertThat(api.post(V56 + "sobjects/StreamingChannel", Map.of("Name", "/u/dialercontrol")).status())
                    .isEqualTo(201);
        }
    }
}
