package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.LEAD;
import static io.dialerbridge.disposition.DispositionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.command.phone.PhoneNormalizer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DispositionSuppressionsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T18:00:00Z");

    private final CamelContext camel = new DefaultCamelContext();
    private final DispositionSuppressions suppressions = new DispositionSuppressions(new DispositionValidator(),
            new PhoneNormalizer("US"), Clock.fixed(NOW, ZoneOffset.UTC), "suppressions-test");

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    /** A camel-kafka batch: one exchange per record, as the batching consumer delivers it. */
    private Exchange batch(String... values) {
        List<Exchange> records = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Exchange record = new DefaultExchange(camel);
            record.getMessage().setHeader(KafkaConstants.TOPIC, "dialer.dispositions");
            record.getMessage().setHeader(KafkaConstants.PARTITION, 0);
            record.getMessage().setHeader(KafkaConstants.OFFSET, (long) i);
            record.getMessage().setHeader(KafkaConstants.TIMESTAMP, NOW.minusSeconds(60).toEpochMilli());
            record.getMessage().setBody(values[i] == null ? null : values[i].getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        Exchange exchange = new DefaultExchange(camel);
        suppressions.open(records, exchange);
        return exchange;
    }

    private DispositionSuppressions.SuppressionBatch opened(Exchange exchange) {
        return exchange.getProperty(DispositionSuppressions.BATCH, DispositionSuppressions.SuppressionBatch.class);
    }

    @Test
    void onlyDoNotCallDispositionsNamingAPersonOrANumberSuppress() {
        Exchange exchange = batch(json("c-1", "BUSY"), json("c-2", "DO_NOT_CALL"), "{not json", null,
                "{\"disposition\": \"DO_NOT_CALL\"}");

        DispositionSuppressions.SuppressionBatch batch = opened(exchange);

        assertThat(suppressions.hasDoNotCall(batch)).isTrue();
        assertThat(batch.records()).hasSize(5);
        assertThat(suppressions.commands(batch)).extracting(command -> command.data().get("recordId"))
                .containsExactly(LEAD);
    }

    /** Why #10: whatever else is wrong with a DO_NOT_CALL disposition, a readable person or number is suppressed. */
    @Nested
    class InvalidDoNotCall {

        private DialerCommand onlyCommandOf(String value) {
            DispositionSuppressions.SuppressionBatch batch = opened(batch(value));
            assertThat(batch.doNotCalls()).hasSize(1);
            return suppressions.commands(batch).get(0);
        }

        private void assertSuppressesThePerson(DialerCommand command, String callId) {
            assertThat(command.key()).isEqualTo(LEAD);
            assertThat(command.subject()).isEqualTo(LEAD);
            assertThat(command.id()).isEqualTo("disposition:" + callId);
            assertThat(command.data()).containsEntry("recordId", LEAD)
                    .containsEntry("phones", List.of("+14155550134"))
                    .containsEntry("scope", "CONTACT")
                    .containsEntry("reason", "DISPOSITION");
        }

        @Test
        void aDoNotCallDispositionWithTooLongNotesStillSuppresses() {
            String value = json("c-10", "DO_NOT_CALL").replace("\"notes\": \"call back\"",
                    "\"notes\": \"" + "x".repeat(4001) + "\"");

            assertSuppressesThePerson(onlyCommandOf(value), "c-10");
        }

        @Test
        void aDoNotCallDispositionThatEndedBeforeItStartedStillSuppresses() {
            String value = json("c-11", "DO_NOT_CALL").replace("\"endedAt\": \"2026-11-27T15:06:10Z\"",
                    "\"endedAt\": \"2026-11-27T15:00:00Z\"");

            DialerCommand command = onlyCommandOf(value);

            assertSuppressesThePerson(command, "c-11");
            assertThat(command.time()).isEqualTo(Instant.parse("2026-11-27T15:00:00Z"));
        }

        @Test
        void aDoNotCallDispositionWithABadCampaignIdStillSuppresses() {
            String value = json("c-12", "DO_NOT_CALL").replace(DispositionFixtures.CAMPAIGN, "not-a-campaign");

            assertSuppressesThePerson(onlyCommandOf(value), "c-12");
        }

        @Test
        void aDoNotCallDispositionWithAFifteenCharacterIdAndALocalPhoneSuppressesThePersonAndTheNumber() {
            String value = json("c-13", "DO_NOT_CALL").replace(LEAD, LEAD.substring(0, 15))
                    .replace("\"+14155550134\"", "\"(415) 555-0134\"").replace("\"durationSeconds\": 125",
                            "\"durationSeconds\": -1");

            assertSuppressesThePerson(onlyCommandOf(value), "c-13");
        }

        @Test
        void aDoNotCallDispositionWithOnlyAPhoneSuppressesTheNumber() {
            String value = json("c-14", "DO_NOT_CALL").replace(LEAD, "001000000000000AAA");

            DialerCommand command = onlyCommandOf(value);

            assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
            assertThat(command.key()).isEqualTo("+14155550134");
            assertThat(command.kafkaHeaders()).containsEntry("ce_subject", "+14155550134")
                    .containsEntry("ce_id", "disposition:c-14");
            assertThat(command.data().keySet()).containsExactly("recordId", "phones", "scope", "reason",
                    "requestedAt");
            assertThat(command.data()).containsEntry("recordId", null)
                    .containsEntry("phones", List.of("+14155550134"))
                    .containsEntry("scope", "NUMBER")
                    .containsEntry("reason", "DISPOSITION")
                    .containsEntry("requestedAt", "2026-11-27T15:06:10Z");
        }

        @Test
        void aDoNotCallDispositionWithoutAUsableCallIdTakesItsPositionAsId() {
            String value = json("", "DO_NOT_CALL");

            DialerCommand command = onlyCommandOf(value);

            assertThat(command.id()).isEqualTo("disposition:dialer.dispositions-0@0");
        }

        @Test
        void aDoNotCallDispositionWithNeitherPersonNorNumberSuppressesNothing() {
            String value = json("c-15", "DO_NOT_CALL").replace(LEAD, "not-an-id")
                    .replace("\"+14155550134\"", "\"call me maybe\"");

            assertThat(suppressions.hasDoNotCall(opened(batch(value)))).isFalse();
        }

        @Test
        void anInvalidDispositionOfAnotherKindSuppressesNothing() {
            String value = json("c-16", "BUSY").replace("\"durationSeconds\": 125", "\"durationSeconds\": -1");

            assertThat(suppressions.hasDoNotCall(opened(batch(value)))).isFalse();
        }
    }

    @Test
    void aBatchWithoutDoNotCallSuppressesNothing() {
        assertThat(suppressions.hasDoNotCall(opened(batch(json("c-1", "INTERESTED"))))).isFalse();
    }

    @Test
    void theCommandIsTheContractsSuppressAsACloudEvent() {
        DialerCommand command = suppressions.commands(opened(batch(json("c-2", "DO_NOT_CALL")))).get(0);

        assertThat(command.type()).isEqualTo(CommandType.CONTACT_SUPPRESS);
        assertThat(command.key()).isEqualTo(LEAD);
        assertThat(command.kafkaHeaders()).containsExactly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "disposition:c-2"),
                Map.entry("ce_source", "/dialer/dispositions"),
                Map.entry("ce_type", "dialer.contact.suppress"),
                Map.entry("ce_subject", LEAD),
                Map.entry("ce_time", "2026-11-27T15:06:10Z"),
                Map.entry("content-type", "application/json"));
        assertThat(command.data()).containsExactly(
                Map.entry("recordId", LEAD),
                Map.entry("phones", List.of("+14155550134")),
                Map.entry("scope", "CONTACT"),
                Map.entry("reason", "DISPOSITION"),
                Map.entry("requestedAt", "2026-11-27T15:06:10Z"));
    }

    @Test
    void withoutCallTimesTheCommandTakesTheRecordsTime() {
        String value = json("c-3", "DO_NOT_CALL").replace("\"startedAt\": \"2026-11-27T15:04:05Z\", "
                + "\"endedAt\": \"2026-11-27T15:06:10Z\",", "");

        DialerCommand command = suppressions.commands(opened(batch(value))).get(0);

        assertThat(command.time()).isEqualTo(NOW.minusSeconds(60));
    }
}
