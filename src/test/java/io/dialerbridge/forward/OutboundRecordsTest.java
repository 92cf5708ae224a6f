package io.dialerbridge.forward;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.ORG;
import static io.dialerbridge.command.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.suppression.PersonNumbers;
import io.dialerbridge.suppression.PersonNumbersChange;
import io.dialerbridge.suppression.Screened;
import io.dialerbridge.suppression.SuppressionChange;
import io.dialerbridge.suppression.SuppressionEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One event's screened commands and suppression changes become the ordered batch of records its transaction sends. */
class OutboundRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTACTS = "/data/ContactChangeEvent";
    private static final Instant TIME = Instant.parse("2024-02-25T02:27:17Z");

    private final DialerTopics topics = new DialerTopics();
    private final OutboundRecords outbound = new OutboundRecords(topics);

    private static DialerCommand command(CommandType type, String key, String id, String channel,
            Map<String, Object> data) {
        return new DialerCommand(type, key, id, "/salesforce/" + ORG + channel, key, TIME, data);
    }

    private static DialerCommand suppress() {
        return command(CommandType.CONTACT_SUPPRESS, CONTACT, CONTACTS + ":41", CONTACTS, map(
                "recordId", CONTACT, "phones", List.of("+14155550134"), "scope", "CONTACT",
                "reason", "SALESFORCE_DNC", "requestedAt", "2024-02-25T02:27:17Z"));
    }

    private static DialerCommand upsert() {
        return command(CommandType.CONTACT_UPSERT, CONTACT, CONTACTS + ":42", CONTACTS, map(
                "recordId", CONTACT, "recordType", "Contact", "firstName", null, "lastName", "Hopper",
                "phones", map("Phone", map("e164", "+14155550134", "raw", "(415) 555-0134"), "MobilePhone", null),
                "changedFields", List.of("firstName", "lastName")));
    }

    private static DialerCommand pause() {
        return command(CommandType.CAMPAIGN_PAUSE, CAMPAIGN, "/u/DialerControl:55", "/u/DialerControl", map(
                "campaignId", CAMPAIGN, "reason", null, "requestedBy", null));
    }

    /** Phone field to number, nulls allowed. */
    private static Map<String, String> phones(String... fieldsAndNumbers) {
        Map<String, String> phones = new java.util.LinkedHashMap<>();
        for (int i = 0; i < fieldsAndNumbers.length; i += 2) {
            phones.put(fieldsAndNumbers[i], fieldsAndNumbers[i + 1]);
        }
        return phones;
    }

    private static JsonNode json(ProducerRecord<String, String> record) throws Exception {
        return JSON.readTree(record.value());
    }

    @Nested
    class Order {

        @Test
        void suppressionRowsGoFirstThenTheCommandsInTheirOrder() {
            SuppressionEntry person = new SuppressionEntry(CONTACT, null, List.of("SALESFORCE_DNC"), "2024-02-25T02:27:17Z",
                    CONTACTS + ":41");
            SuppressionEntry number = new SuppressionEntry(CONTACT, "+14155550134", List.of("SALESFORCE_DNC"),
                    "2024-02-25T02:27:17Z", CONTACTS + ":41");
            Screened screened = new Screened(List.of(suppress(), pause()), List.of(
                    new SuppressionChange(person.key(), person), new SuppressionChange(number.key(), number)));

            List<ProducerRecord<String, String>> records = outbound.records(screened);

            assertThat(records).extracting(ProducerRecord::topic,
                    ProducerRecord::key).containsExactly(
                    tuple("dialer.suppressions", "record:" + CONTACT),
                    tuple("dialer.suppressions", "phone:+14155550134"),
                    tuple("dialer.contact-commands", CONTACT),
                    tuple("dialer.campaign-control", CAMPAIGN));
        }

        @Test
        void anEventWhoseCommandsWereAllBlockedOrDroppedYieldsNoRecords() {
            assertThat(outbound.records(new Screened(List.of(), List.of()))).isEmpty();
        }
    }

    @Nested
    class SuppressionRows {

        @Test
        void aRowIsTheEntryAsJson() throws Exception {
            SuppressionEntry number = new SuppressionEntry(CONTACT, "+14155550134", List.of("DISPOSITION"),
                    "2026-11-27T15:06:10Z", "c-2026-11-27-000123");

            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(),
                    List.of(new SuppressionChange(number.key(), number)))).get(0);

            assertThat(record.key()).isEqualTo("phone:+14155550134");
            assertThat(json(record)).isEqualTo(JSON.readTree("""
                    {"recordId":"0035f00000AbCdEAAV","phone":"+14155550134","reasons":["DISPOSITION"],
                     "reason":"DISPOSITION","since":"2026-11-27T15:06:10Z","source":"c-2026-11-27-000123"}"""));
            assertThat(record.headers().toArray()).isEmpty();
        }

        @Test
        void aPersonRowWritesItsNullPhone() throws Exception {
            SuppressionEntry person = new SuppressionEntry(CONTACT, null, List.of("SALESFORCE_DNC"), "2024-02-25T02:27:17Z",
                    CONTACTS + ":41");

            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(),
                    List.of(new SuppressionChange(person.key(), person)))).get(0);

            assertThat(json(record).has("phone")).isTrue();
            assertThat(json(record).get("phone").isNull()).isTrue();
        }

        @Test
        void aLiftedSuppressionIsATombstoneWithANullBody() {
            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(),
                    List.of(new SuppressionChange("record:" + CONTACT, null)))).get(0);

            assertThat(record.topic()).isEqualTo("dialer.suppressions");
            assertThat(record.key()).isEqualTo("record:" + CONTACT);
            assertThat(record.value()).isNull();
        }
    }

    @Nested
    class NumberRows {

        @Test
        void knownNumbersGoAfterTheSuppressionRowsAndBeforeTheCommands() {
            SuppressionEntry person = new SuppressionEntry(CONTACT, null, List.of("SALESFORCE_DNC"),
                    "2024-02-25T02:27:17Z", CONTACTS + ":41");
            PersonNumbers numbers = new PersonNumbers(CONTACT, phones("Phone", "+14155550134"), CONTACTS + ":42");
            Screened screened = new Screened(List.of(suppress()), List.of(new SuppressionChange(person.key(), person)),
                    List.of(new PersonNumbersChange(CONTACT, numbers)));

            assertThat(outbound.records(screened)).extracting(
                    ProducerRecord::topic,
                    ProducerRecord::key).containsExactly(
                    tuple("dialer.suppressions", "record:" + CONTACT),
                    tuple("dialer-bridge.person-numbers", CONTACT),
                    tuple("dialer.contact-commands", CONTACT));
        }

        @Test
        void aRowIsThePersonsNumbersByFieldAsJson() throws Exception {
            PersonNumbers numbers = new PersonNumbers(CONTACT, phones("Phone", "+14155550134", "MobilePhone", null),
                    CONTACTS + ":42");

            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(), List.of(),
                    List.of(new PersonNumbersChange(CONTACT, numbers)))).get(0);

            assertThat(json(record)).isEqualTo(JSON.readTree("""
                    {"personId":"0035f00000AbCdEAAV","phones":{"Phone":"+14155550134","MobilePhone":null},
                     "source":"/data/ContactChangeEvent:42"}"""));
        }

        @Test
        void aForgottenPersonIsATombstone() {
            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(), List.of(),
                    List.of(new PersonNumbersChange(CONTACT, null)))).get(0);

            assertThat(record.key()).isEqualTo(CONTACT);
            assertThat(record.value()).isNull();
        }
    }

    @Nested
    class Commands {

        @Test
        void aCommandIsACloudEventInBinaryModeKeyedByItsPersonOrCampaign() {
            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(upsert()), List.of())).get(0);

            assertThat(record.topic()).isEqualTo("dialer.contact-commands");
            assertThat(record.key()).isEqualTo(CONTACT);
            assertThat(Arrays.stream(record.headers().toArray())
                    .map(header -> Map.entry(header.key(), new String(header.value(), StandardCharsets.UTF_8))))
                    .containsExactly(
                            Map.entry("ce_specversion", "1.0"),
                            Map.entry("ce_id", "/data/ContactChangeEvent:42"),
                            Map.entry("ce_source", "/salesforce/00D000000000001AAA/data/ContactChangeEvent"),
                            Map.entry("ce_type", "dialer.contact.upsert"),
                            Map.entry("ce_subject", CONTACT),
                            Map.entry("ce_time", "2024-02-25T02:27:17Z"),
                            Map.entry("content-type", "application/json"));
        }

        @Test
        void eachCommandGoesToTheTopicOfItsType() {
            List<ProducerRecord<String, String>> records = outbound.records(new Screened(List.of(upsert(), pause(),
                    command(CommandType.BROADCAST, "*", "/u/DialerControl:56", "/u/DialerControl",
                            map("text", "Lunch break")),
                    command(CommandType.CAMPAIGN_MEMBER_ADD, CONTACT, "/data/CampaignMemberChangeEvent:57",
                            "/data/CampaignMemberChangeEvent",
                            map("recordId", CONTACT, "campaignId", CAMPAIGN, "memberStatus", "Sent"))), List.of()));

            assertThat(records).extracting(ProducerRecord::topic,
                    ProducerRecord::key).containsExactly(
                    tuple("dialer.contact-commands", CONTACT),
                    tuple("dialer.campaign-control", CAMPAIGN),
                    tuple("dialer.campaign-control", "*"),
                    tuple("dialer.contact-commands", CONTACT));
        }

        @Test
        void theBodyIsTheDataAsJsonWithItsNullsKept() {
            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(upsert()), List.of())).get(0);

            assertThat(record.value()).isEqualTo("{\"recordId\":\"0035f00000AbCdEAAV\","
                    + "\"recordType\":\"Contact\",\"firstName\":null,\"lastName\":\"Hopper\","
                    + "\"phones\":{\"Phone\":{\"e164\":\"+14155550134\",\"raw\":\"(415) 555-0134\"},"
                    + "\"MobilePhone\":null},\"changedFields\":[\"firstName\",\"lastName\"]}");
        }

        @Test
        void campaignControlKeepsItsUnknownReasonAndRequesterAsNulls() throws Exception {
            ProducerRecord<String, String> record = outbound.records(new Screened(List.of(pause()), List.of())).get(0);

            assertThat(json(record)).isEqualTo(JSON.readTree(
                    "{\"campaignId\":\"7015f000000AbCdAAK\",\"reason\":null,\"requestedBy\":null}"));
        }

        @Test
        void renamedTopicsAreHonoured() {
            topics.setContactCommands("acme.dialer.contacts");
            topics.setCampaignControl("acme.dialer.control");
            topics.setSuppressions("acme.dialer.dnc");

            List<ProducerRecord<String, String>> records = outbound.records(new Screened(List.of(upsert(), pause()),
                    List.of(new SuppressionChange("record:" + CONTACT, null))));

            assertThat(records).extracting(ProducerRecord::topic)
                    .containsExactly("acme.dialer.dnc", "acme.dialer.contacts", "acme.dialer.control");
        }
    }
}
