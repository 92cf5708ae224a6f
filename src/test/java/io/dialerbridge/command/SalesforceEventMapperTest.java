package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CAMPAIGN_15;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.CONTACT_2;
import static io.dialerbridge.command.EventFixtures.CONTACT_3;
import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.MEMBER;
import static io.dialerbridge.command.EventFixtures.MEMBER_2;
import static io.dialerbridge.command.EventFixtures.ORG;
import static io.dialerbridge.command.EventFixtures.USER;
import static io.dialerbridge.command.EventFixtures.USER_15;
import static io.dialerbridge.command.EventFixtures.map;
import static io.dialerbridge.command.EventFixtures.phone;
import static io.dialerbridge.command.EventFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import io.dialerbridge.salesforce.SalesforceRecords;
import io.dialerbridge.salesforce.stream.SalesforceEvent;
import io.dialerbridge.salesforce.stream.StreamKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Raw Salesforce streaming events, shaped as CometD delivers them, become dialer commands or a precise rejection. */
class SalesforceEventMapperTest {

    private static final String LEADS_TOPIC = "/topic/DialerLeads";
    private static final String CONTROL = "/u/DialerControl";
    private static final String COMMANDS = "/event/Dialer_Command__e";
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final String LEADS_CDC = "/data/LeadChangeEvent";
    private static final String MEMBERS = "/data/CampaignMemberChangeEvent";
    private static final long COMMIT_TIMESTAMP = 1708828037000L;
    private static final String COMMIT_TIME = "2024-02-25T02:27:17Z";
    private static final String OVERFLOW_ID = "000000000000000AAA";
    /** What the mapper reads of a person over REST, with the default mapping rules. */
    private static final List<String> CONTACT_FIELDS = List.of("Id", "FirstName", "LastName", "Email", "OwnerId",
            "Phone", "MobilePhone", "DoNotCall");
    private static final List<String> LEAD_FIELDS = List.of("Id", "FirstName", "LastName", "Email", "Status",
            "OwnerId", "Phone", "MobilePhone", "DoNotCall", "IsConverted", "ConvertedContactId");

    /** Owns the producer template SalesforceRecords creates; the canned records never use it. */
    private static final CamelContext CAMEL = new DefaultCamelContext();

    private final CannedRecords records = new CannedRecords();
    private final CampaignMembershipIndex memberships = new InMemoryCampaignMembershipIndex();
    private final AtomicInteger orgLookups = new AtomicInteger();
    /** Transient failures are retried at once in these tests. */
    private final SalesforceCallRetries retries = new SalesforceCallRetries(java.time.Duration.ZERO,
            java.time.Duration.ZERO, () -> false);
    private final SalesforceEventMapper mapper = new SalesforceEventMapper(() -> {
        orgLookups.incrementAndGet();
        return ORG;
    }, new MappingRules(), new PhoneNormalizer("US"), memberships, records, retries);

    @AfterAll
    static void closeCamel() throws Exception {
        CAMEL.close();
    }

    /**
     * Records "read over REST": what a gap or overflow event makes the mapper ask Salesforce for. Queries answer in
     * pages of {@link #pageSize}; {@code failures} are thrown, one per call, before any answer.
     */
    static final class CannedRecords extends SalesforceRecords {

        final Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        final Map<String, List<Map<String, Object>>> byObject = new LinkedHashMap<>();
        /** The recycle bin, by object. */
        final Map<String, List<Map<String, Object>>> deletedByObject = new LinkedHashMap<>();
        final List<String> calls = new ArrayList<>();
        final java.util.Deque<RuntimeException> failures = new java.util.ArrayDeque<>();
        int pageSize = 2_000;
        private final Map<String, List<Map<String, Object>>> cursors = new LinkedHashMap<>();

        CannedRecords() {
            super(CAMEL);
        }

        private void failIfArmed() {
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
        }

        @Override
        public Optional<Map<String, Object>> fetch(String objectName, String id, List<String> fields) {
            calls.add("fetch " + objectName + " " + id + " " + fields);
            failIfArmed();
            return Optional.ofNullable(byId.get(id));
        }

        @Override
        public QueryPage query(String soql) {
            calls.add("query " + soql);
            failIfArmed();
            return page(byObject.getOrDefault(objectOf(soql), List.of()), 0);
        }

        @Override
        public QueryPage queryAll(String soql) {
            calls.add("queryAll " + soql);
            failIfArmed();
            String object = objectOf(soql);
            if (soql.contains(" WHERE Id IN (")) {
                List<Map<String, Object>> found = new ArrayList<>();
                java.util.stream.Stream.concat(byObject.getOrDefault(object, List.of()).stream(),
                                deletedByObject.getOrDefault(object, List.of()).stream())
                        .filter(record -> soql.contains("'" + record.get("Id") + "'"))
                        .forEach(found::add);
                return page(found, 0);
            }
            return page(deletedByObject.getOrDefault(object, List.of()), 0);
        }

        @Override
        public QueryPage queryMore(String nextRecordsUrl) {
            calls.add("queryMore " + nextRecordsUrl);
            failIfArmed();
            String[] cursor = nextRecordsUrl.substring(nextRecordsUrl.lastIndexOf('/') + 1).split("-");
            return page(cursors.get(cursor[0]), Integer.parseInt(cursor[1]));
        }

        private QueryPage page(List<Map<String, Object>> result, int from) {
            int to = Math.min(result.size(), from + pageSize);
            String next = null;
            if (to < result.size()) {
                String locator = "01g" + cursors.size();
                cursors.put(locator, result);
                next = "/services/data/v56.0/query/" + locator + "-" + to;
            }
            return new QueryPage(result.subList(from, to), next, result.size());
        }

        private static String objectOf(String soql) {
            java.util.regex.Matcher from = java.util.regex.Pattern.compile(" FROM (\\w+)").matcher(soql);
            return from.find() ? from.group(1) : "";
        }
    }

    /** A refusal as camel's producer template throws it. */
    static RuntimeException salesforceRefusal(int status, String errorCode) {
        org.apache.camel.component.salesforce.api.dto.RestError error =
                new org.apache.camel.component.salesforce.api.dto.RestError();
        error.setErrorCode(errorCode);
        error.setMessage("refused");
        return new org.apache.camel.CamelExecutionException("Salesforce refused", null,
                new org.apache.camel.component.salesforce.api.SalesforceException(List.of(error), status));
    }

    /** The event as the salesforce-stream consumer hands it on: the replay id read from data.event, if a number. */
    private static SalesforceEvent event(String channel, Map<String, Object> data) {
        Long replayId = data.get("event") instanceof Map<?, ?> event && event.get("replayId") instanceof Number id
                ? id.longValue() : null;
        return new SalesforceEvent(channel, StreamKind.of(channel), replayId, data);
    }

    private List<DialerCommand> deliver(String channel, Map<String, Object> data) {
        return mapper.map(event(channel, data));
    }

    private MappingException rejection(String channel, Map<String, Object> data) {
        try {
            mapper.map(event(channel, data));
        } catch (MappingException e) {
            return e;
        }
        throw new AssertionError("expected a MappingException");
    }

    // --- CometD data objects, as the emulator and Salesforce send them ---

    private static Map<String, Object> pushTopic(String type, long replayId, Map<String, Object> sobject) {
        return map("event", map("createdDate", "2016-03-29T16:40:08.208Z", "replayId", replayId, "type", type),
                "sobject", sobject);
    }

    /** Every field of the default DialerLeads query; a PushTopic sends nulls too. */
    private static Map<String, Object> leadSobject(Object doNotCall) {
        return map("Id", LEAD, "FirstName", "Ada", "LastName", "Lovelace", "Phone", "(415) 555-0134",
                "MobilePhone", null, "Email", "ada@example.com", "Status", "Open - Not Contacted",
                "DoNotCall", doNotCall, "IsConverted", false);
    }

    private static Map<String, Object> generic(long replayId, Object payload) {
        return map("event", map("createdDate", "2016-03-29T19:05:28.334Z", "replayId", replayId),
                "payload", payload);
    }

    private static Map<String, Object> platformEvent(long replayId, Map<String, Object> fields) {
        Map<String, Object> payload = map("CreatedDate", "2023-04-09T18:31:40.517Z", "CreatedById", USER_15);
        payload.putAll(fields);
        return map("schema", "dffQ2QLzDNHqwB8_sHMxdA", "payload", payload,
                "event", map("EventUuid", "2ec0e371-1395-457f-9275-be1b527a72f7", "replayId", replayId));
    }

    private static Map<String, Object> header(String entity, String changeType, List<String> recordIds,
            List<String> changedFields) {
        return map("entityName", entity, "recordIds", recordIds, "changeType", changeType,
                "changeOrigin", "com/salesforce/api/rest/56.0;client=test",
                "transactionKey", "0001284f-bf79-b4c7-c7d8-de9e3018d47b", "sequenceNumber", 1,
                "commitTimestamp", COMMIT_TIMESTAMP, "commitNumber", 11640258965714L, "commitUser", USER,
                "changedFields", changedFields);
    }

    private static Map<String, Object> changeEvent(long replayId, Map<String, Object> header,
            Map<String, Object> fields) {
        Map<String, Object> payload = map("ChangeEventHeader", header);
        payload.putAll(fields);
        return map("schema", "R5zq92JfedyvzEcBx9bE6g", "payload", payload, "event", map("replayId", replayId));
    }

    /** A CREATE body: every non-empty field, the compound Name, the system fields. */
    private static Map<String, Object> createdContactFields() {
        return map("LastModifiedDate", "2024-02-25T02:27:17.000Z", "OwnerId", USER, "CreatedById", USER,
                "Name", map("FirstName", "Grace", "LastName", "Hopper"), "Phone", "(415) 555-0134",
                "Email", "grace@example.com", "DoNotCall", false, "CreatedDate", "2024-02-25T02:27:17.000Z",
                "LastModifiedById", USER);
    }

    /** A Contact as REST returns it for the refetch fields. */
    private static Map<String, Object> restContact(String id, String lastName, boolean doNotCall) {
        return map("attributes", map("type", "Contact", "url", "/services/data/v56.0/sobjects/Contact/" + id),
                "Id", id, "FirstName", "Grace", "LastName", lastName, "Email", null, "Phone", "(415) 555-0134",
                "MobilePhone", null, "DoNotCall", doNotCall, "OwnerId", USER);
    }

    private static Map<String, Object> restMember(String id, String personId, String status) {
        return map("attributes", map("type", "CampaignMember"), "Id", id, "CampaignId", CAMPAIGN, "LeadId", null,
                "ContactId", personId, "Status", status);
    }

    private static Map<String, Object> personUpsert(String id, String lastName) {
        return map("recordId", id, "recordType", "Contact", "firstName", "Grace", "lastName", lastName,
                "email", null, "ownerId", USER,
                "phones", map("Phone", phone("+14155550134", "(415) 555-0134"), "MobilePhone", null));
    }

    private static List<String> ids(List<DialerCommand> commands) {
        return commands.stream().map(DialerCommand::id).toList();
    }

    private static List<String> types(List<DialerCommand> commands) {
        return commands.stream().map(command -> command.type().ceType()).toList();
    }

    @Nested
    class PushTopic {

        @Test
        void aCreatedLeadIsAFullUpsertWithTheEventsEnvelope() {
            assertThat(deliver(LEADS_TOPIC, pushTopic("created", 13, leadSobject(false)))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.data()).containsExactlyEntriesOf(map("recordId", LEAD,
                                "recordType", "Lead", "firstName", "Ada", "lastName", "Lovelace",
                                "email", "ada@example.com", "status", "Open - Not Contacted",
                                "phones", map("Phone", phone("+14155550134", "(415) 555-0134"), "MobilePhone", null)));
                        assertThat(command.kafkaHeaders()).containsExactly(
                                entry("ce_specversion", "1.0"),
                                entry("ce_id", "/topic/DialerLeads:13"),
                                entry("ce_source", "/salesforce/00D000000000001AAA/topic/DialerLeads"),
                                entry("ce_type", "dialer.contact.upsert"),
                                entry("ce_subject", LEAD),
                                entry("ce_time", "2016-03-29T16:40:08.208Z"),
                                entry("content-type", "application/json"));
                    });
        }

        @Test
        void anUpdatedLeadWithDoNotCallFalseUnsuppressesBeforeTheUpsert() {
            List<DialerCommand> commands = deliver(LEADS_TOPIC, pushTopic("updated", 14, leadSobject(false)));

            assertThat(types(commands)).containsExactly("dialer.contact.unsuppress", "dialer.contact.upsert");
            assertThat(ids(commands)).containsExactly("/topic/DialerLeads:14", "/topic/DialerLeads:14:contact.upsert");
        }

        @Test
        void anUpdatedLeadWithDoNotCallSuppressesItsNumbers() {
            List<DialerCommand> commands = deliver(LEADS_TOPIC, pushTopic("updated", 15, leadSobject(true)));

            assertThat(commands.get(0).data()).containsExactlyEntriesOf(map("recordId", LEAD,
                    "phones", List.of("+14155550134"), "scope", "CONTACT", "reason", "SALESFORCE_DNC",
                    "reasons", List.of("SALESFORCE_DNC"), "requestedAt", "2016-03-29T16:40:08.208Z"));
            // The lead's status is not a Do Not Call one: that reason is lifted after the suppress.
            assertThat(types(commands)).containsExactly("dialer.contact.suppress", "dialer.contact.unsuppress");
        }

        @Test
        void aDeletedLeadIsRemoved() {
            assertThat(deliver(LEADS_TOPIC, pushTopic("deleted", 16, map("Id", LEAD)))).singleElement()
                    .satisfies(command -> assertThat(command.data())
                            .containsExactlyEntriesOf(map("recordId", LEAD, "reason", "DELETED")));
        }

        @Test
        void rejectsAnEventWithoutSobjectOrOfAnUnknownType() {
            assertThat(rejection(LEADS_TOPIC, map("event", map("createdDate", "2016-03-29T16:40:08.208Z",
                    "replayId", 17L, "type", "created"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("data.sobject");
            assertThat(rejection(LEADS_TOPIC, pushTopic("merged", 18, leadSobject(false))).reason())
                    .isEqualTo(Reason.UNSUPPORTED_EVENT);
            assertThat(rejection(LEADS_TOPIC, pushTopic("created", 19, with(leadSobject(false), "Id", CAMPAIGN)))
                    .reason()).isEqualTo(Reason.INVALID_ID);
        }

        @Test
        void rejectsAnEventWithoutCreatedDate() {
            assertThat(rejection(LEADS_TOPIC, map("event", map("replayId", 20L, "type", "created"),
                    "sobject", leadSobject(false))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("createdDate");
        }
    }

    @Nested
    class Generic {

        @Test
        void aTextCommandPausesTheCampaignInItsLongForm() {
            assertThat(deliver(CONTROL, generic(55, "PAUSE_CAMPAIGN " + CAMPAIGN_15 + " Storm outage"))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_PAUSE);
                        assertThat(command.topic()).isEqualTo(CommandTopic.CAMPAIGN_CONTROL);
                        assertThat(command.key()).isEqualTo(CAMPAIGN);
                        assertThat(command.data()).containsExactlyEntriesOf(map("campaignId", CAMPAIGN,
                                "reason", "Storm outage", "requestedBy", null));
                        assertThat(command.kafkaHeaders()).contains(entry("ce_id", "/u/DialerControl:55"),
                                entry("ce_source", "/salesforce/00D000000000001AAA/u/DialerControl"),
                                entry("ce_time", "2016-03-29T19:05:28.334Z"));
                    });
        }

        @Test
        void aJsonCommandSetsTheDialingMode() {
            assertThat(deliver(CONTROL, generic(56, """
                    {"command":"SET_DIALING_MODE","campaignId":"*","profile":"EVENING","mode":"power"}""")))
                    .singleElement().satisfies(command -> assertThat(command.data())
                            .containsExactlyEntriesOf(map("campaignId", "*", "mode", "POWER", "profile", "EVENING")));
        }

        @Test
        void anythingElseIsBroadcastWhole() {
            assertThat(deliver(CONTROL, generic(57, "This is a message."))).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.BROADCAST);
                assertThat(command.key()).isEqualTo("*");
                assertThat(command.data()).containsExactlyEntriesOf(map("text", "This is a message."));
            });
        }

        @Test
        void rejectsAPayloadThatIsNotAString() {
            // camel-salesforce itself would read data.sobject here and lose the payload; the mapper sees it raw.
            assertThat(rejection(CONTROL, generic(58, map("command", "PAUSE_CAMPAIGN"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("data.payload");
            assertThat(rejection(CONTROL, map("event", map("createdDate", "2016-03-29T19:05:28.334Z",
                    "replayId", 59L), "sobject", null)).reason()).isEqualTo(Reason.MISSING_FIELD);
        }

        @Test
        void rejectsAnEmptyPayload() {
            assertThat(rejection(CONTROL, generic(60, "  ")))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("no payload");
        }
    }

    @Nested
    class PlatformEvent {

        @Test
        void aDialerCommandEventBecomesItsCommand() {
            assertThat(deliver(COMMANDS, platformEvent(2112, map("Command__c", "SET_DIALING_MODE",
                    "Campaign_Id__c", CAMPAIGN_15, "Dialing_Mode__c", "predictive", "Profile__c", "EVENING",
                    "Record_Id__c", null, "Reason__c", null)))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_DIALING_MODE);
                        assertThat(command.key()).isEqualTo(CAMPAIGN);
                        assertThat(command.data()).containsExactlyEntriesOf(map("campaignId", CAMPAIGN,
                                "mode", "PREDICTIVE", "profile", "EVENING"));
                        assertThat(command.kafkaHeaders()).contains(entry("ce_id", "/event/Dialer_Command__e:2112"),
                                entry("ce_time", "2023-04-09T18:31:40.517Z"));
                    });
        }

        @Test
        void theUserWhoPublishedIsTheRequesterInTheLongForm() {
            assertThat(deliver(COMMANDS, platformEvent(2113, map("Command__c", "PAUSE_CAMPAIGN",
                    "Campaign_Id__c", "*", "Reason__c", "Storm")))).singleElement()
                    .satisfies(command -> assertThat(command.data()).containsEntry("requestedBy", USER));
        }

        @Test
        void scalarFieldsAreReadAsText() {
            assertThat(deliver(COMMANDS, platformEvent(2114, map("Command__c", "BROADCAST", "Reason__c", 42))))
                    .singleElement().satisfies(command -> assertThat(command.data()).containsEntry("text", "42"));
        }

        @Test
        void rejectsNestedObjectsAndArraysInThePayload() {
            assertThat(rejection(COMMANDS, platformEvent(2115, map("Command__c", "BROADCAST",
                    "Reason__c", map("text", "hello")))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE))
                    .hasMessageContaining("not a flat platform event");
            assertThat(rejection(COMMANDS, platformEvent(2116, map("Command__c", "BROADCAST",
                    "Reason__c", List.of("a", "b")))).reason()).isEqualTo(Reason.INVALID_VALUE);
        }

        @Test
        void rejectsAnEventWithoutPayloadOrWithAnUnknownCommand() {
            assertThat(rejection(COMMANDS, map("schema", "dffQ2QLzDNHqwB8_sHMxdA",
                    "event", map("replayId", 2117L))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("data.payload");
            assertThat(rejection(COMMANDS, platformEvent(2118, map("Command__c", "LAUNCH_ROCKETS"))).reason())
                    .isEqualTo(Reason.UNKNOWN_COMMAND);
        }
    }

    @Nested
    class ChangeDataCapture {

        @Test
        void aCreatedContactIsAFullUpsertKeyedByThePerson() {
            assertThat(deliver(CONTACTS, changeEvent(15529385, header("Contact", "CREATE", List.of(CONTACT), List.of()),
                    createdContactFields()))).singleElement().satisfies(command -> {
                        assertThat(command.data()).containsExactlyEntriesOf(map("recordId", CONTACT,
                                "recordType", "Contact", "firstName", "Grace", "lastName", "Hopper",
                                "email", "grace@example.com", "ownerId", USER,
                                "phones", map("Phone", phone("+14155550134", "(415) 555-0134"), "MobilePhone", null)));
                        assertThat(command.kafkaHeaders()).contains(entry("ce_id", "/data/ContactChangeEvent:15529385"),
                                entry("ce_source", "/salesforce/00D000000000001AAA/data/ContactChangeEvent"),
                                entry("ce_time", COMMIT_TIME));
                    });
        }

        @Test
        void anUpdateIsAMergePatchOfWhatChanged() {
            List<DialerCommand> commands = deliver(CONTACTS, changeEvent(101,
                    header("Contact", "UPDATE", List.of(CONTACT), List.of("LastModifiedDate", "Name.LastName",
                            "MobilePhone")),
                    map("LastModifiedDate", "2024-02-25T03:00:00.000Z", "Name", map("LastName", "Turing"),
                            "MobilePhone", null)));

            assertThat(commands).singleElement().satisfies(command -> assertThat(command.data())
                    .containsExactlyEntriesOf(map("recordId", CONTACT, "recordType", "Contact", "lastName", "Turing",
                            "phones", map("MobilePhone", null), "changedFields", List.of("lastName", "MobilePhone"))));
        }

        @Test
        void anUpdateThatSetsDoNotCallSuppresses() {
            assertThat(deliver(CONTACTS, changeEvent(102,
                    header("Contact", "UPDATE", List.of(CONTACT), List.of("DoNotCall", "LastModifiedDate")),
                    map("DoNotCall", true, "LastModifiedDate", "2024-02-25T03:00:00.000Z")))).singleElement()
                    .satisfies(command -> assertThat(command.data()).containsExactlyEntriesOf(map("recordId", CONTACT,
                            "phones", List.of(), "scope", "CONTACT", "reason", "SALESFORCE_DNC",
                            "reasons", List.of("SALESFORCE_DNC"), "requestedAt", COMMIT_TIME)));
        }

        @Test
        void anUpdateNamingSeveralRecordsFansOutWithTheRecordIdInEachCommandId() {
            List<DialerCommand> commands = deliver(CONTACTS, changeEvent(103,
                    header("Contact", "UPDATE", List.of(CONTACT, CONTACT_2), List.of("Email", "LastModifiedDate")),
                    map("Email", "same@example.com", "LastModifiedDate", "2024-02-25T03:00:00.000Z")));

            assertThat(commands).extracting(DialerCommand::key, DialerCommand::id).containsExactly(
                    tuple(CONTACT, "/data/ContactChangeEvent:103:" + CONTACT),
                    tuple(CONTACT_2, "/data/ContactChangeEvent:103:" + CONTACT_2));
        }

        @Test
        void aDeleteCarriesOnlyTheHeaderAndRemoves() {
            assertThat(deliver(LEADS_CDC, changeEvent(104, header("Lead", "DELETE", List.of(LEAD), List.of()), map())))
                    .singleElement().satisfies(command -> assertThat(command.data())
                            .containsExactlyEntriesOf(map("recordId", LEAD, "reason", "DELETED")));
        }

        @Test
        void campaignMembershipIsKeyedByThePersonAndRemembered() {
            List<DialerCommand> added = deliver(MEMBERS, changeEvent(105,
                    header("CampaignMember", "CREATE", List.of(MEMBER), List.of()),
                    map("CampaignId", CAMPAIGN, "ContactId", CONTACT, "Status", "Sent", "HasResponded", false)));
            List<DialerCommand> removed = deliver(MEMBERS, changeEvent(106,
                    header("CampaignMember", "DELETE", List.of(MEMBER), List.of()), map()));

            assertThat(added).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_ADD);
                assertThat(command.key()).isEqualTo(CONTACT);
                assertThat(command.data()).containsExactlyEntriesOf(map("recordId", CONTACT, "campaignId", CAMPAIGN,
                        "memberStatus", "Sent"));
            });
            assertThat(removed).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                assertThat(command.key()).isEqualTo(CONTACT);
            });
        }

        @Test
        void rejectsAnEventWithoutChangeEventHeaderOrPayload() {
            assertThat(rejection(CONTACTS, map("schema", "R5zq92JfedyvzEcBx9bE6g",
                    "payload", map("LastName", "Hopper"), "event", map("replayId", 107L))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("ChangeEventHeader");
            assertThat(rejection(CONTACTS, map("event", map("replayId", 108L))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("data.payload");
        }

        @Test
        void rejectsAHeaderWithoutRecordIdsOrCommitTimestamp() {
            Map<String, Object> noRecordIds = header("Contact", "UPDATE", List.of(CONTACT), List.of());
            noRecordIds.remove("recordIds");
            Map<String, Object> noTimestamp = header("Contact", "UPDATE", List.of(CONTACT), List.of());
            noTimestamp.remove("commitTimestamp");

            assertThat(rejection(CONTACTS, changeEvent(109, noRecordIds, map("Email", "x@example.com"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("recordIds");
            assertThat(rejection(CONTACTS, changeEvent(110, noTimestamp, map("Email", "x@example.com"))))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("commitTimestamp");
        }

        @Test
        void rejectsEntitiesAndChangeTypesItHasNoMappingFor() {
            assertThat(rejection("/data/AccountChangeEvent", changeEvent(111,
                    header("Account", "CREATE", List.of("0015f00000AbCdEAAV"), List.of()), map("Name", "Acme")))
                    .reason()).isEqualTo(Reason.UNSUPPORTED_EVENT);
            assertThat(rejection(CONTACTS, changeEvent(112,
                    header("Contact", "SNAPSHOT", List.of(CONTACT), List.of()), map())).reason())
                    .isEqualTo(Reason.UNSUPPORTED_EVENT);
        }

        @Test
        void rejectsAnUpdateOfAMemberItNeverSaw() {
            assertThat(rejection(MEMBERS, changeEvent(113,
                    header("CampaignMember", "UPDATE", List.of(MEMBER), List.of("Status")), map("Status", "Removed")))
                    .reason()).isEqualTo(Reason.UNKNOWN_MEMBER);
        }
    }

    @Nested
    class Gaps {

        @Test
        void bugGoneCampaignMembersOfOneGapEventGetDistinctIds() {
            String member2 = "00v5f00000Q1w2FAAR";
            memberships.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
            memberships.remember(member2, new CampaignMembership(CONTACT_2, CAMPAIGN, "Sent"));

            List<DialerCommand> commands = deliver(MEMBERS, changeEvent(208, header("CampaignMember", "GAP_DELETE",
                    List.of(MEMBER, member2), List.of()), map()));

            assertThat(ids(commands)).containsExactly("/data/CampaignMemberChangeEvent:208:" + MEMBER,
                    "/data/CampaignMemberChangeEvent:208:" + member2);
        }

        @Test
        void aGapReadsEveryConfiguredPhoneField() {
            MappingRules rules = new MappingRules();
            rules.setPhoneFields(List.of("Phone", "MobilePhone", "HomePhone"));
            SalesforceEventMapper withHomePhone = new SalesforceEventMapper(() -> ORG, rules,
                    new PhoneNormalizer("US"), memberships, records);
            records.byId.put(CONTACT, restContact(CONTACT, "Hopper", false));

            withHomePhone.map(event(CONTACTS, changeEvent(202,
                    header("Contact", "GAP_UPDATE", List.of(CONTACT), List.of()), map())));

            assertThat(records.calls).containsExactly("fetch Contact " + CONTACT + " " + List.of("Id", "FirstName",
                    "LastName", "Email", "OwnerId", "Phone", "MobilePhone", "HomePhone", "DoNotCall"));
        }

        @Test
        void aGapEventIsAnsweredWithTheRecordAsItIsNow() {
            records.byId.put(CONTACT, restContact(CONTACT, "Hopper", false));

            List<DialerCommand> commands = deliver(CONTACTS, changeEvent(201,
                    header("Contact", "GAP_UPDATE", List.of(CONTACT), List.of()), map()));

            assertThat(records.calls).containsExactly("fetch Contact " + CONTACT + " "
                    + CONTACT_FIELDS);
            // The gap may have hidden the update that cleared DoNotCall, so DoNotCall=false unsuppresses first.
            assertThat(types(commands)).containsExactly("dialer.contact.unsuppress", "dialer.contact.upsert");
            assertThat(ids(commands)).containsExactly("/data/ContactChangeEvent:201",
                    "/data/ContactChangeEvent:201:contact.upsert");
            assertThat(commands.get(1).data()).containsExactlyEntriesOf(personUpsert(CONTACT, "Hopper"));
        }

        @Test
        void aGapOnARecordThatIsNowDoNotCallSuppressesItsNumbers() {
            records.byId.put(CONTACT, restContact(CONTACT, "Hopper", true));

            assertThat(deliver(CONTACTS, changeEvent(202, header("Contact", "GAP_UPDATE", List.of(CONTACT), List.of()),
                    map()))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
                        assertThat(command.data()).containsEntry("phones", List.of("+14155550134"));
                    });
        }

        @Test
        void aGapOnARecordSalesforceNoLongerHasRemovesIt() {
            assertThat(deliver(LEADS_CDC, changeEvent(203, header("Lead", "GAP_DELETE", List.of(LEAD), List.of()),
                    map()))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                        assertThat(command.data()).containsExactlyEntriesOf(map("recordId", LEAD,
                                "reason", "DELETED"));
                    });
            assertThat(records.calls).containsExactly("fetch Lead " + LEAD + " " + LEAD_FIELDS);
        }

        @Test
        void aGapNamingSeveralRecordsRefetchesEachAndKeepsTheirIdsApart() {
            records.byId.put(CONTACT, restContact(CONTACT, "Hopper", true));

            List<DialerCommand> commands = deliver(CONTACTS, changeEvent(204,
                    header("Contact", "GAP_UPDATE", List.of(CONTACT, CONTACT_2), List.of()), map()));

            assertThat(commands).extracting(DialerCommand::key, command -> command.type().ceType(), DialerCommand::id)
                    .containsExactly(
                            tuple(CONTACT, "dialer.contact.suppress", "/data/ContactChangeEvent:204:" + CONTACT),
                            tuple(CONTACT_2, "dialer.contact.remove", "/data/ContactChangeEvent:204:" + CONTACT_2));
        }

        @Test
        void aGapOnACampaignMemberReadsTheMembershipAgain() {
            records.byId.put(MEMBER, restMember(MEMBER, CONTACT, "Sent"));

            assertThat(deliver(MEMBERS, changeEvent(205, header("CampaignMember", "GAP_CREATE", List.of(MEMBER),
                    List.of()), map()))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_ADD);
                        assertThat(command.key()).isEqualTo(CONTACT);
                        assertThat(command.id()).isEqualTo("/data/CampaignMemberChangeEvent:205");
                    });
            assertThat(memberships.find(MEMBER)).hasValue(new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
            assertThat(records.calls).containsExactly("fetch CampaignMember " + MEMBER + " "
                    + ChangeRecovery.CAMPAIGN_MEMBER_FIELDS);
        }

        @Test
        void aGapOnACampaignMemberThatIsGoneRemovesTheRememberedMembership() {
            memberships.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));

            assertThat(deliver(MEMBERS, changeEvent(206, header("CampaignMember", "GAP_DELETE", List.of(MEMBER),
                    List.of()), map()))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                        assertThat(command.key()).isEqualTo(CONTACT);
                    });
            assertThat(memberships.find(MEMBER)).isEmpty();
        }

        @Test
        void aGapOnAnEntityWithoutMappingIsRejectedBeforeAskingSalesforce() {
            assertThat(rejection("/data/AccountChangeEvent", changeEvent(207,
                    header("Account", "GAP_UPDATE", List.of("0015f00000AbCdEAAV"), List.of()), map())).reason())
                    .isEqualTo(Reason.UNSUPPORTED_EVENT);
            assertThat(records.calls).isEmpty();
        }
    }

    @Nested
    class Overflow {

        @Test
        void readsEveryRecordOfTheEntityAgainWithTheRecordIdInEachCommandId() {
            records.byObject.put("Contact", List.of(restContact(CONTACT, "Hopper", true),
                    restContact(CONTACT_2, "Turing", false)));

            List<DialerCommand> commands = deliver(CONTACTS, changeEvent(301,
                    header("Contact", "GAP_OVERFLOW", List.of(OVERFLOW_ID), List.of()), map()));

            assertThat(records.calls).containsExactly(
                    "query SELECT " + String.join(", ", CONTACT_FIELDS) + ", SystemModstamp FROM Contact",
                    "queryAll SELECT Id, SystemModstamp FROM Contact WHERE IsDeleted = true");
            assertThat(commands).extracting(DialerCommand::key, command -> command.type().ceType(), DialerCommand::id)
                    .containsExactly(
                            tuple(CONTACT, "dialer.contact.suppress", "/data/ContactChangeEvent:301:" + CONTACT),
                            tuple(CONTACT_2, "dialer.contact.unsuppress", "/data/ContactChangeEvent:301:" + CONTACT_2),
                            tuple(CONTACT_2, "dialer.contact.upsert",
                                    "/data/ContactChangeEvent:301:" + CONTACT_2 + ":contact.upsert"));
            assertThat(commands.get(2).data()).containsExactlyEntriesOf(personUpsert(CONTACT_2, "Turing"));
        }

        @Test
        void theResyncTheConsumerRequestsAfterAnExpiredCheckpointReadsTheEntityAgain() {
            // The synthetic event SalesforceStreamConsumer dispatches when Salesforce refuses replay id 300.
            records.byObject.put("Lead", List.of(map("attributes", map("type", "Lead"), "Id", LEAD,
                    "FirstName", null, "LastName", "Lovelace", "Email", null, "Phone", null, "MobilePhone", null,
                    "DoNotCall", true, "OwnerId", USER, "Status", "Open - Not Contacted", "IsConverted", false)));
            Map<String, Object> synthetic = map("payload", map("ChangeEventHeader", map("entityName", "Lead",
                    "recordIds", List.of(OVERFLOW_ID), "changeType", "GAP_OVERFLOW",
                    "commitTimestamp", COMMIT_TIMESTAMP)), "event", map("replayId", 300L));

            List<DialerCommand> commands = deliver(LEADS_CDC, synthetic);

            assertThat(records.calls).containsExactly(
                    "query SELECT " + String.join(", ", LEAD_FIELDS) + ", SystemModstamp FROM Lead",
                    "queryAll SELECT Id, SystemModstamp FROM Lead WHERE IsDeleted = true");
            assertThat(commands).first().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
                assertThat(command.id()).isEqualTo("/data/LeadChangeEvent:300:" + LEAD);
            });
            assertThat(types(commands)).containsExactly("dialer.contact.suppress", "dialer.contact.unsuppress");
        }

        @Test
        void ofCampaignMembersAddsEveryMembershipAgain() {
            records.byObject.put("CampaignMember", List.of(restMember(MEMBER, CONTACT, "Sent"),
                    restMember("00v5f00000Q1w2FAAR", CONTACT_2, "Opted Out")));

            List<DialerCommand> commands = deliver(MEMBERS, changeEvent(302,
                    header("CampaignMember", "GAP_OVERFLOW", List.of(OVERFLOW_ID), List.of()), map()));

            assertThat(commands).extracting(DialerCommand::key, command -> command.type().ceType(), DialerCommand::id)
                    .containsExactly(
                            tuple(CONTACT, "dialer.campaign-member.add",
                                    "/data/CampaignMemberChangeEvent:302:" + MEMBER),
                            tuple(CONTACT_2, "dialer.campaign-member.remove",
                                    "/data/CampaignMemberChangeEvent:302:00v5f00000Q1w2FAAR"));
        }

        @Test
        void ofAnEntityWithoutMappingIsRejected() {
            assertThat(rejection("/data/AccountChangeEvent", changeEvent(303,
                    header("Account", "GAP_OVERFLOW", List.of(OVERFLOW_ID), List.of()), map())).reason())
                    .isEqualTo(Reason.UNSUPPORTED_EVENT);
            assertThat(records.calls).isEmpty();
        }
    }

    @Nested
    class Recovery {

        private Map<String, Object> withModstamp(Map<String, Object> record, String systemModstamp) {
            Map<String, Object> copy = new LinkedHashMap<>(record);
            copy.put("SystemModstamp", systemModstamp);
            return copy;
        }

        private Map<String, Object> overflow(long replayId, String entity) {
            return changeEvent(replayId, header(entity, "GAP_OVERFLOW", List.of(OVERFLOW_ID), List.of()), map());
        }

        private Map<String, Object> contactUpdate(long replayId, long commitTimestamp, String id,
                Map<String, Object> fields) {
            Map<String, Object> header = header("Contact", "UPDATE", List.of(id), List.copyOf(fields.keySet()));
            header.put("commitTimestamp", commitTimestamp);
            return changeEvent(replayId, header, fields);
        }

        @Test
        void aResyncReadsEveryPageNotOnlyTheFirst() {
            records.pageSize = 1;
            records.byObject.put("Contact", List.of(restContact(CONTACT, "Hopper", false),
                    restContact(CONTACT_2, "Turing", false), restContact(CONTACT_3, "Lovelace", false)));

            List<DialerCommand> commands = deliver(CONTACTS, overflow(401, "Contact"));

            assertThat(commands).filteredOn(command -> command.type() == CommandType.CONTACT_UPSERT)
                    .extracting(DialerCommand::key).containsExactly(CONTACT, CONTACT_2, CONTACT_3);
            assertThat(records.calls).filteredOn(call -> call.startsWith("queryMore")).hasSize(2);
        }

        @Test
        void aResyncCountsTheRecordsItReadAgainAndIsNoLongerInProgressWhenDone() {
            records.pageSize = 2;
            records.byObject.put("Contact", List.of(restContact(CONTACT, "Hopper", false),
                    restContact(CONTACT_2, "Turing", false), restContact(CONTACT_3, "Lovelace", false)));
            // The resync's meters are in the global registry, as Spring Boot's Prometheus registry sees them.
            io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
                    new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
            io.micrometer.core.instrument.Metrics.addRegistry(meters);
            double before;
            try {
                before = meters.get("dialer.resync.records").tag("entity", "Contact").counter().count();
                deliver(CONTACTS, overflow(404, "Contact"));
            } finally {
                io.micrometer.core.instrument.Metrics.removeRegistry(meters);
            }

            assertThat(meters.get("dialer.resync.records").tag("entity", "Contact").counter().count() - before)
                    .isEqualTo(3);
            assertThat(meters.get("dialer.resync.in.progress").tag("entity", "Contact").gauge().value()).isZero();
            assertThat(meters.get("dialer.resync.remaining").tag("entity", "Contact").gauge().value()).isZero();
        }

        @Test
        void aResyncRemovesThePeopleAndMembersInTheRecycleBin() {
            records.deletedByObject.put("Contact", List.of(map("attributes", map("type", "Contact"),
                    "Id", CONTACT_3, "SystemModstamp", "2024-02-25T02:00:00.000+0000")));
            records.deletedByObject.put("CampaignMember", List.of(map("attributes", map("type", "CampaignMember"),
                    "Id", MEMBER, "CampaignId", CAMPAIGN, "LeadId", null, "ContactId", CONTACT, "Status", "Sent",
                    "SystemModstamp", "2024-02-25T02:00:00.000+0000")));

            assertThat(deliver(CONTACTS, overflow(402, "Contact"))).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CONTACT_REMOVE);
                assertThat(command.data()).containsExactlyEntriesOf(map("recordId", CONTACT_3, "reason", "DELETED"));
                assertThat(command.id()).isEqualTo(CONTACTS + ":402:" + CONTACT_3);
            });
            assertThat(deliver(MEMBERS, overflow(403, "CampaignMember"))).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                assertThat(command.key()).isEqualTo(CONTACT);
                assertThat(command.data()).containsEntry("campaignId", CAMPAIGN);
            });
        }

        @Test
        void aResyncKeepsThePushTopicsWhereClause() {
            Map<String, Object> header = header("Lead", "GAP_OVERFLOW", List.of(OVERFLOW_ID), List.of());
            header.put("dialerResyncCondition", "Status != 'Closed'");

            // the consumer shapes its resync request as a change event on the PushTopic's channel too
            mapper.map(new SalesforceEvent(LEADS_TOPIC, StreamKind.CHANGE_DATA_CAPTURE, 404L,
                    changeEvent(404, header, map())));

            assertThat(records.calls.get(0)).endsWith(" FROM Lead WHERE Status != 'Closed'");
        }

        @Test
        void anOlderRetainedEventDoesNotOverwriteTheResyncedRecordButANewerOneDoes() {
            records.byObject.put("Contact", List.of(withModstamp(restContact(CONTACT, "Hopper", true),
                    "2024-02-25T02:27:17.000+0000")));
            deliver(CONTACTS, overflow(405, "Contact"));

            // replayed from the retained backlog: cleared DoNotCall before the snapshot said it is set
            assertThat(deliver(CONTACTS, contactUpdate(406, COMMIT_TIMESTAMP - 60_000, CONTACT,
                    map("DoNotCall", false)))).isEmpty();
            assertThat(deliver(CONTACTS, contactUpdate(407, COMMIT_TIMESTAMP + 1_000, CONTACT,
                    map("DoNotCall", false)))).extracting(command -> command.type().ceType())
                    .containsExactly("dialer.contact.unsuppress");
        }

        @Test
        void theFenceSkipsOnlyTheRecordsTheSnapshotHoldsAndKeepsTheOthersIds() {
            records.byObject.put("Contact", List.of(withModstamp(restContact(CONTACT, "Hopper", false),
                    "2024-02-25T02:27:17.000+0000"), withModstamp(restContact(CONTACT_3, "Other", false),
                    "2024-02-25T02:30:00.000+0000")));
            deliver(CONTACTS, overflow(408, "Contact"));
            Map<String, Object> header = header("Contact", "UPDATE", List.of(CONTACT, CONTACT_2), List.of("Email"));
            header.put("commitTimestamp", COMMIT_TIMESTAMP - 1);

            assertThat(deliver(CONTACTS, changeEvent(409, header, map("Email", "old@example.com"))))
                    .extracting(DialerCommand::key, DialerCommand::id)
                    .containsExactly(tuple(CONTACT_2, CONTACTS + ":409:" + CONTACT_2));
        }

        @Test
        void anOptOutOfAMemberTheBridgeNeverSawIsReadFromSalesforceAndRemoves() {
            records.byObject.put("CampaignMember", List.of(restMember(MEMBER, CONTACT, "Opted Out")));

            assertThat(deliver(MEMBERS, changeEvent(410, header("CampaignMember", "UPDATE", List.of(MEMBER),
                    List.of("Status")), map("Status", "Opted Out")))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                        assertThat(command.key()).isEqualTo(CONTACT);
                        assertThat(command.data()).containsEntry("campaignId", CAMPAIGN);
                    });
            assertThat(records.calls).singleElement().asString().startsWith("queryAll ")
                    .contains("FROM CampaignMember WHERE Id IN ('" + MEMBER + "')");
            assertThat(memberships.find(MEMBER)).hasValue(new CampaignMembership(CONTACT, CAMPAIGN, "Opted Out"));
        }

        @Test
        void aDeleteOfAMemberTheBridgeNeverSawRemovesItUsingTheRecycleBin() {
            Map<String, Object> binned = new LinkedHashMap<>(restMember(MEMBER_2, CONTACT_2, "Sent"));
            binned.put("IsDeleted", true);
            records.deletedByObject.put("CampaignMember", List.of(binned));

            assertThat(deliver(MEMBERS, changeEvent(411, header("CampaignMember", "DELETE", List.of(MEMBER_2),
                    List.of()), map()))).singleElement().satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                        assertThat(command.key()).isEqualTo(CONTACT_2);
                    });
        }

        @Test
        void aTransientFailureIsRetriedAndAPermanentOneRejectsTheEvent() {
            records.byId.put(CONTACT, restContact(CONTACT, "Hopper", false));
            records.failures.add(salesforceRefusal(503, "SERVER_UNAVAILABLE"));
            records.failures.add(salesforceRefusal(403, "REQUEST_LIMIT_EXCEEDED"));

            assertThat(deliver(CONTACTS, changeEvent(412, header("Contact", "GAP_UPDATE", List.of(CONTACT),
                    List.of()), map()))).isNotEmpty();
            assertThat(records.calls).hasSize(3);

            records.failures.add(salesforceRefusal(400, "INVALID_FIELD"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> deliver(CONTACTS, changeEvent(413,
                    header("Contact", "GAP_UPDATE", List.of(CONTACT), List.of()), map())))
                    .isInstanceOf(org.apache.camel.CamelExecutionException.class);
        }

        @Test
        void retryingStopsWhenTheBridgeStops() {
            for (int i = 0; i < 5; i++) {
                records.failures.add(salesforceRefusal(503, "SERVER_UNAVAILABLE"));
            }
            // the bridge begins to stop while the first refetch waits for Salesforce
            SalesforceEventMapper stoppable = new SalesforceEventMapper(() -> ORG, new MappingRules(),
                    new PhoneNormalizer("US"), memberships, records, new SalesforceCallRetries(
                            java.time.Duration.ofMillis(10), java.time.Duration.ofMillis(10),
                            () -> !records.calls.isEmpty()));

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stoppable.map(event(CONTACTS, changeEvent(414,
                    header("Contact", "GAP_UPDATE", List.of(CONTACT), List.of()), map()))))
                    .isInstanceOf(io.dialerbridge.salesforce.RecoveryAbandonedException.class);
            assertThat(records.calls).hasSize(1);
        }
    }

    @Nested
    class Envelope {

        @Test
        void anEventWithoutReplayIdIsRejectedWhateverItsStream() {
            Map<String, Object> noReplayId = map("event", map("createdDate", "2016-03-29T16:40:08.208Z",
                    "type", "created"), "sobject", leadSobject(false));

            assertThat(rejection(LEADS_TOPIC, noReplayId))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD))
                    .hasMessageContaining("data.event.replayId");
            assertThat(rejection(CONTROL, map("payload", "PAUSE_CAMPAIGN *")).reason())
                    .isEqualTo(Reason.MISSING_FIELD);
            assertThat(rejection(CONTACTS, map("payload", map("ChangeEventHeader",
                    header("Contact", "CREATE", List.of(CONTACT), List.of())))).reason())
                    .isEqualTo(Reason.MISSING_FIELD);
        }

        @Test
        void aReplayIdThatIsNotANumberCountsAsMissing() {
            assertThat(rejection(COMMANDS, map("payload", map("CreatedDate", "2023-04-09T18:31:40.517Z",
                    "Command__c", "BROADCAST", "Reason__c", "hi"), "event", map("replayId", "2112"))).reason())
                    .isEqualTo(Reason.MISSING_FIELD);
        }

        @Test
        void theOrgIdIsReadOnceOnFirstUseBecauseItIsKnownOnlyAfterLogin() {
            assertThat(orgLookups).hasValue(0);

            deliver(CONTROL, generic(61, "PAUSE_CAMPAIGN *"));
            deliver(CONTROL, generic(62, "RESUME_CAMPAIGN *"));

            assertThat(orgLookups).hasValue(1);
        }

        @Test
        void aGapNamingSomethingThatIsNotAPersonIdIsRejected() {
            assertThat(rejection(CONTACTS, changeEvent(63, header("Contact", "GAP_DELETE", List.of(CAMPAIGN),
                    List.of()), map())).reason()).isEqualTo(Reason.INVALID_ID);
        }
    }
}
