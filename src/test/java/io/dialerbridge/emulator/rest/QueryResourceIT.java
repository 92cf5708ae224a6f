package io.dialerbridge.emulator.rest;

import static io.dialerbridge.emulator.rest.EmulatorRestClient.V56;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.rest.EmulatorRestClient.Reply;
import io.dialerbridge.emulator.streaming.MutableClock;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** SOQL over HTTP: the records a query selects, their shape, and the errors a bad query gets. */
class QueryResourceIT {

    private static final Instant NOW = Instant.parse("2026-11-27T15:04:05Z");

    private final MutableClock clock = new MutableClock(NOW);
    private SalesforceEmulator emulator;
    private EmulatorRestClient api;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg().clock(clock)).start();
        api = EmulatorRestClient.loggedIn(emulator);
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    /** Encoded as camel encodes it: URLEncoder with {@code +} turned into {@code %20}. */
    private Reply query(String resource, String soql) throws Exception {
        return api.get(V56 + resource + "?q="
                + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private List<String> createLeads(String... lastNames) {
        RecordStore.Transaction transaction = emulator.records().begin(emulator.settings().userId(), "");
        List<String> ids = new ArrayList<>();
        for (String lastName : lastNames) {
            ids.add(transaction.create(SObjectType.LEAD, Map.of("LastName", lastName, "Company", "Acme")));
        }
        transaction.commit();
        return ids;
    }

    private static List<String> values(JsonNode result, String field) {
        List<String> values = new ArrayList<>();
        result.get("records").forEach(record -> values.add(record.get(field).isNull() ? null
                : record.get(field).asText()));
        return values;
    }

    @Nested
    class Results {

        @Test
        void holdOnlyTheSelectedFieldsInCanonicalCaseAfterAttributes() throws Exception {
            String id = createLeads("Lovelace").get(0);

            Reply result = query("query/", "select id, lastname, CREATEDDATE from lead");

            assertThat(result.status()).isEqualTo(200);
            assertThat(result.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            assertThat(result.json().get("totalSize").asInt()).isEqualTo(1);
            assertThat(result.json().get("done").asBoolean()).isTrue();
            JsonNode record = result.json().get("records").get(0);
            List<String> names = new ArrayList<>();
            record.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("attributes", "Id", "LastName", "CreatedDate");
            assertThat(record.get("attributes").get("type").asText()).isEqualTo("Lead");
            assertThat(record.get("attributes").get("url").asText())
                    .isEqualTo("/services/data/v56.0/sobjects/Lead/" + id);
            assertThat(record.get("Id").asText()).isEqualTo(id);
            assertThat(record.get("CreatedDate").asText()).isEqualTo("2026-11-27T15:04:05.000+0000");
        }

        @Test
        void areTheSameWithAndWithoutTheTrailingSlash() throws Exception {
            createLeads("Lovelace");

            assertThat(query("query", "SELECT Id FROM Lead").json())
                    .isEqualTo(query("query/", "SELECT Id FROM Lead").json());
        }

        @Test
        void areFilteredByWhereIncludingDateTimes() throws Exception {
            createLeads("Lovelace", "Hopper");

            assertThat(values(query("query", "SELECT LastName FROM Lead WHERE LastName LIKE 'hop%'").json(),
                    "LastName")).containsExactly("Hopper");
            assertThat(query("query", "SELECT Id FROM Lead WHERE CreatedDate >= 2026-11-27T15:04:05Z").json()
                    .get("totalSize").asInt()).isEqualTo(2);
            assertThat(query("query", "SELECT Id FROM Lead WHERE CreatedDate > 2026-11-27T15:04:05.000+0000")
                    .json().get("totalSize").asInt()).isZero();
            assertThat(query("query", "SELECT Id FROM Lead WHERE CreatedDate = 2026-11-27").json()
                    .get("totalSize").asInt()).isEqualTo(2);
        }

        @Test
        void areOrderedCaseInsensitivelyWithNullsFirstThenPaged() throws Exception {
            List<String> ids = createLeads("echo", "Bravo", "delta", "Alpha", "charlie");
            RecordStore.Transaction naming = emulator.records().begin(emulator.settings().userId(), "");
            naming.update(SObjectType.LEAD, ids.get(0), Map.of("FirstName", "Zed"));
            naming.update(SObjectType.LEAD, ids.get(1), Map.of("FirstName", "Amy"));
            naming.commit();

            assertThat(values(query("query", "SELECT LastName FROM Lead ORDER BY LastName").json(), "LastName"))
                    .containsExactly("Alpha", "Bravo", "charlie", "delta", "echo");
            assertThat(values(query("query", "SELECT LastName FROM Lead ORDER BY LastName DESC LIMIT 2 OFFSET 1")
                    .json(), "LastName")).containsExactly("delta", "charlie");
            assertThat(values(query("query", "SELECT FirstName FROM Lead ORDER BY FirstName DESC, LastName").json(),
                    "FirstName")).containsExactly(null, null, null, "Zed", "Amy");
        }

        @Test
        void countWithoutRecordsForSelectCount() throws Exception {
            createLeads("Lovelace", "Hopper", "Hamilton");

            Reply count = query("query", "SELECT COUNT() FROM Lead WHERE LastName LIKE 'H%'");

            assertThat(count.json().get("totalSize").asInt()).isEqualTo(2);
            assertThat(count.json().get("done").asBoolean()).isTrue();
            assertThat(count.json().get("records")).isEmpty();
        }

        @Test
        void includeDeletedRecordsOnlyForQueryAll() throws Exception {
            List<String> ids = createLeads("Kept", "Binned");
            RecordStore.Transaction delete = emulator.records().begin(emulator.settings().userId(), "");
            delete.delete(SObjectType.LEAD, ids.get(1));
            delete.commit();

            assertThat(values(query("query", "SELECT LastName, IsDeleted FROM Lead").json(), "LastName"))
                    .containsExactly("Kept");
            JsonNode all = query("queryAll/", "SELECT LastName, IsDeleted FROM Lead ORDER BY LastName").json();
            assertThat(values(all, "LastName")).containsExactly("Binned", "Kept");
            assertThat(values(all, "IsDeleted")).containsExactly("true", "false");
        }

    }

    @Nested
    class Paging {

        private String[] names(int count) {
            String[] names = new String[count];
            for (int i = 0; i < count; i++) {
                names[i] = String.format("Lead%05d", i);
            }
            return names;
        }

        @Test
        void aResultOverTwoThousandRecordsComesInBatchesLinkedByNextRecordsUrl() throws Exception {
            createLeads(names(2_001));

            JsonNode first = query("query", "SELECT Id, LastName FROM Lead ORDER BY LastName").json();

            assertThat(first.get("totalSize").asInt()).isEqualTo(2_001);
            assertThat(first.get("records")).hasSize(2_000);
            assertThat(first.get("done").asBoolean()).isFalse();
            String next = first.get("nextRecordsUrl").asText();
            assertThat(next).matches("/services/data/v56\\.0/query/01g[0-9A-Za-z]{15}-2000");

            JsonNode second = api.get(next).json();
            assertThat(second.get("totalSize").asInt()).isEqualTo(2_001);
            assertThat(second.get("done").asBoolean()).isTrue();
            assertThat(second.has("nextRecordsUrl")).isFalse();
            assertThat(values(second, "LastName")).containsExactly("Lead02000");
        }

        @Test
        void theQueryOptionsHeaderSetsTheBatchSizeWithinSalesforcesBounds() throws Exception {
            createLeads(names(450));
            String soql = "/services/data/v56.0/query?q=" + URLEncoder.encode("SELECT Id FROM Lead",
                    StandardCharsets.UTF_8).replace("+", "%20");

            assertThat(api.get(soql, "Sforce-Query-Options", "batchSize=300").json().get("records")).hasSize(300);
            // Below the minimum of 200 is taken as 200, above the maximum as 2,000.
            assertThat(api.get(soql, "Sforce-Query-Options", "batchSize=50").json().get("records")).hasSize(200);
            assertThat(api.get(soql, "Sforce-Query-Options", "batchSize=5000").json().get("records")).hasSize(450);
        }

        @Test
        void everyPageFollowsUntilDoneAndTogetherTheyHoldEveryRecordOnce() throws Exception {
            List<String> ids = createLeads(names(650));
            String soql = "/services/data/v56.0/query?q=" + URLEncoder.encode("SELECT Id FROM Lead",
                    StandardCharsets.UTF_8).replace("+", "%20");

            List<String> read = new ArrayList<>();
            JsonNode page = api.get(soql, "Sforce-Query-Options", "batchSize=200").json();
            read.addAll(values(page, "Id"));
            int pages = 1;
            while (!page.get("done").asBoolean()) {
                page = api.get(page.get("nextRecordsUrl").asText()).json();
                read.addAll(values(page, "Id"));
                pages++;
            }

            assertThat(pages).isEqualTo(4);
            assertThat(read).containsExactlyInAnyOrderElementsOf(ids);
        }

        @Test
        void queryAllPagesThroughTheRecycleBinTooWithAQueryLocatorUrl() throws Exception {
            List<String> ids = createLeads(names(250));
            RecordStore.Transaction delete = emulator.records().begin(emulator.settings().userId(), "");
            ids.subList(0, 240).forEach(id -> delete.delete(SObjectType.LEAD, id));
            delete.commit();
            String soql = "/services/data/v56.0/queryAll?q=" + URLEncoder.encode(
                    "SELECT Id, IsDeleted FROM Lead WHERE IsDeleted = true", StandardCharsets.UTF_8)
                    .replace("+", "%20");

            JsonNode first = api.get(soql, "Sforce-Query-Options", "batchSize=200").json();
            // Salesforce's queryAll also links its next batch under query/, not queryAll/.
            assertThat(first.get("nextRecordsUrl").asText()).contains("/query/01g");
            JsonNode second = api.get(first.get("nextRecordsUrl").asText().replace("/query/", "/queryAll/")).json();

            assertThat(first.get("totalSize").asInt()).isEqualTo(240);
            assertThat(values(second, "IsDeleted")).hasSize(40).containsOnly("true");
        }

        @Test
        void theResultIsFixedWhenTheQueryRuns() throws Exception {
            createLeads(names(201));
            String soql = "/services/data/v56.0/query?q=" + URLEncoder.encode("SELECT Id FROM Lead",
                    StandardCharsets.UTF_8).replace("+", "%20");
            JsonNode first = api.get(soql, "Sforce-Query-Options", "batchSize=200").json();

            createLeads("Later");

            assertThat(api.get(first.get("nextRecordsUrl").asText()).json().get("records")).hasSize(1);
        }

        @Test
        void aLocatorIdleForFifteenMinutesOrAnUnknownOneIsInvalid() throws Exception {
            createLeads(names(201));
            String soql = "/services/data/v56.0/query?q=" + URLEncoder.encode("SELECT Id FROM Lead",
                    StandardCharsets.UTF_8).replace("+", "%20");
            String next = api.get(soql, "Sforce-Query-Options", "batchSize=200").json()
                    .get("nextRecordsUrl").asText();

            clock.advance(Duration.ofMinutes(16));

            Reply expired = api.get(next);
            assertThat(expired.status()).isEqualTo(400);
            assertThat(expired.firstError().get("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");
            assertThat(api.get(V56 + "query/01g5f0000000000AAA-200").status()).isEqualTo(400);
        }

        @Test
        void anEleventhOpenLocatorReleasesTheOldest() throws Exception {
            createLeads(names(201));
            String soql = "/services/data/v56.0/query?q=" + URLEncoder.encode("SELECT Id FROM Lead",
                    StandardCharsets.UTF_8).replace("+", "%20");
            List<String> nexts = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                nexts.add(api.get(soql, "Sforce-Query-Options", "batchSize=200").json()
                        .get("nextRecordsUrl").asText());
            }

            assertThat(api.get(nexts.get(0)).status()).isEqualTo(400);
            assertThat(api.get(nexts.get(10)).status()).isEqualTo(200);
        }
    }

    @Nested
    class RecycleBin {

        @Test
        void aDeletedRecordIsInTheBinWithTheTimeOfItsDeleteAsSystemModstamp() throws Exception {
            String id = createLeads("Binned").get(0);
            clock.advance(Duration.ofHours(1));
            RecordStore.Transaction delete = emulator.records().begin(emulator.settings().userId(), "");
            delete.delete(SObjectType.LEAD, id);
            delete.commit();

            JsonNode deleted = query("queryAll", "SELECT Id, IsDeleted, SystemModstamp, CreatedDate FROM Lead"
                    + " WHERE IsDeleted = true AND SystemModstamp > 2026-11-27T15:30:00Z").json();

            assertThat(values(deleted, "Id")).containsExactly(id);
            assertThat(values(deleted, "SystemModstamp")).containsExactly("2026-11-27T16:04:05.000+0000");
            assertThat(values(query("query", "SELECT Id FROM Lead WHERE IsDeleted = true").json(), "Id")).isEmpty();
        }

        @Test
        void isEmptiedOfRecordsDeletedMoreThanFifteenDaysAgo() throws Exception {
            List<String> ids = createLeads("Old", "Recent");
            RecordStore.Transaction first = emulator.records().begin(emulator.settings().userId(), "");
            first.delete(SObjectType.LEAD, ids.get(0));
            first.commit();
            clock.advance(Duration.ofDays(10));
            RecordStore.Transaction second = emulator.records().begin(emulator.settings().userId(), "");
            second.delete(SObjectType.LEAD, ids.get(1));
            second.commit();
            clock.advance(Duration.ofDays(6));
            api = EmulatorRestClient.loggedIn(emulator);

            assertThat(values(query("queryAll", "SELECT LastName FROM Lead").json(), "LastName"))
                    .containsExactly("Recent");
        }
    }

    @Nested
    class Errors {

        private JsonNode refusal(Reply reply) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.contentType()).isEqualToIgnoringCase("application/json;charset=UTF-8");
            return reply.firstError();
        }

        @Test
        void unknownObjectIsInvalidType() throws Exception {
            JsonNode error = refusal(query("query", "SELECT Id FROM Account"));

            assertThat(error.get("errorCode").asText()).isEqualTo("INVALID_TYPE");
            assertThat(error.get("message").asText()).startsWith("sObject type 'Account' is not supported.");
        }

        @Test
        void unknownFieldIsInvalidFieldInSalesforcesWords() throws Exception {
            for (String soql : List.of("SELECT Id, Foo FROM Lead", "SELECT Id FROM Lead WHERE Foo = 'x'",
                    "SELECT Id FROM Lead ORDER BY Foo")) {
                JsonNode error = refusal(query("query", soql));

                assertThat(error.get("errorCode").asText()).as(soql).isEqualTo("INVALID_FIELD");
                assertThat(error.get("message").asText()).as(soql).isEqualTo("No such column 'Foo' on entity 'Lead'."
                        + " If you are attempting to use a custom field, be sure to append the '__c' after the custom"
                        + " field name. Please reference your WSDL or the describe call for the appropriate names.");
            }
        }

        @Test
        void relationshipPathIsInvalidField() throws Exception {
            assertThat(refusal(query("query", "SELECT Owner.Name FROM Lead")).get("errorCode").asText())
                    .isEqualTo("INVALID_FIELD");
        }

        @Test
        void brokenSoqlIsMalformed() throws Exception {
            JsonNode error = refusal(query("query", "SELECT Id FROM Lead WHERE"));

            assertThat(error.get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        }

        @Test
        void missingQueryIsMalformed() throws Exception {
            assertThat(refusal(api.get(V56 + "query")).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        }

        @Test
        void aggregatesAreRefusedNamingTheEmulator() throws Exception {
            JsonNode error = refusal(query("query", "SELECT COUNT(Id) FROM Lead"));

            assertThat(error.get("message").asText()).contains("emulator");
        }

        @Test
        void queryIsReadOnly() throws Exception {
            assertThat(api.post(V56 + "query", new HashMap<>()).status()).isEqualTo(405);
        }
    }
}
