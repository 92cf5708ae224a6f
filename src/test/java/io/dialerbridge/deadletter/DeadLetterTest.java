package io.dialerbridge.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DeadLetterTest {

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> texts(DeadLetter letter) {
        return letter.headers().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> text(entry.getValue()), (a, b) -> b,
                        LinkedHashMap::new));
    }

    @Test
    void everyHeaderIsUtf8TextInTheOrderAdded() {
        DeadLetter letter = DeadLetter.of("INVALID_VALUE", "Téléphone « 06 » is not a number", "contact-cdc")
                .with(DeadLetter.REPLAY_ID, 42L)
                .with(DeadLetter.TIME, Instant.parse("2026-11-27T18:00:00Z"));

        assertThat(texts(letter)).containsExactly(
                Map.entry("dialer_dead_letter_reason", "INVALID_VALUE"),
                Map.entry("dialer_dead_letter_detail", "Téléphone « 06 » is not a number"),
                Map.entry("dialer_dead_letter_route", "contact-cdc"),
                Map.entry("dialer_dead_letter_replay_id", "42"),
                Map.entry("dialer_dead_letter_time", "2026-11-27T18:00:00Z"));
    }

    @Test
    void aMissingValueAddsNoHeader() {
        DeadLetter letter = DeadLetter.of("UNKNOWN", "", null).with(DeadLetter.CHANNEL, null);

        assertThat(letter.headers()).containsOnlyKeys("dialer_dead_letter_reason", "dialer_dead_letter_detail");
    }

    @Nested
    class BothDirectionsCarryTheSameBytes {

        @Test
        void aCamelMessageAndAKafkaRecordGetEqualHeaders() throws Exception {
            DeadLetter letter = DeadLetter.of("MALFORMED_JSON", "[]", "dispositions-publish")
                    .with(DeadLetter.SOURCE_OFFSET, 41L);
            try (DefaultCamelContext camel = new DefaultCamelContext()) {
                Message message = new DefaultMessage(camel);
                letter.addTo(message);
                ProducerRecord<String, String> record = new ProducerRecord<>("dialer.dead-letter", "key", "value");
                letter.addTo(record.headers());

                letter.headers().forEach((name, value) -> {
                    assertThat(message.getHeader(name)).isEqualTo(value);
                    assertThat(record.headers().lastHeader(name).value()).isEqualTo(value);
                });
            }
        }

        @Test
        void headersAnEarlierStepSetAreReadBackAsStringsOrBytes() throws Exception {
            try (DefaultCamelContext camel = new DefaultCamelContext()) {
                Message message = new DefaultMessage(camel);
                DeadLetter.of("MISSING_FIELD", "data.payload is missing", "lead-pushtopic").addTo(message);
                message.setHeader(DeadLetter.CHANNEL, "/topic/DialerLeads");
                message.setHeader("CamelSalesforceReplayId", 7L);

                assertThat(texts(DeadLetter.from(message))).containsOnly(
                        Map.entry("dialer_dead_letter_reason", "MISSING_FIELD"),
                        Map.entry("dialer_dead_letter_detail", "data.payload is missing"),
                        Map.entry("dialer_dead_letter_route", "lead-pushtopic"),
                        Map.entry("dialer_dead_letter_channel", "/topic/DialerLeads"));
            }
        }
    }
}
