package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class DispositionDeadLettersTest {

    private static String text(Message message, String header) {
        return new String(message.getHeader(header, byte[].class), StandardCharsets.UTF_8);
    }

    @Test
    void keepsKeyValueAndHeadersAndSaysWhyAndWhereFrom() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            ConsumedRecord record = record(2, 41, "{\"callId\": 5}");

            Message letter = DispositionDeadLetters.of(camel, record,
                    DispositionDeadLetters.Reason.INVALID_DISPOSITION,
                    List.of(new FieldViolation("callId", "must be a string")), "dispositions-publish",
                    Instant.parse("2026-11-27T18:00:00Z"));

            assertThat(letter.getBody()).isSameAs(record.value());
            assertThat(letter.getHeader(KafkaConstants.KEY)).isSameAs(record.key());
            assertThat(letter.getHeader("trace-id")).isSameAs(record.headers().get("trace-id"));
            assertThat(text(letter, "dialer_dead_letter_reason")).isEqualTo("INVALID_DISPOSITION");
            assertThat(text(letter, "dialer_dead_letter_detail"))
                    .isEqualTo("[{\"field\":\"callId\",\"message\":\"must be a string\"}]");
            assertThat(text(letter, "dialer_dead_letter_route")).isEqualTo("dispositions-publish");
            assertThat(text(letter, "dialer_dead_letter_source_topic")).isEqualTo("dialer.dispositions");
            assertThat(text(letter, "dialer_dead_letter_source_partition")).isEqualTo("2");
            assertThat(text(letter, "dialer_dead_letter_source_offset")).isEqualTo("41");
            assertThat(text(letter, "dialer_dead_letter_time")).isEqualTo("2026-11-27T18:00:00Z");
        }
    }

    @Test
    void aRecordWithoutKeyStaysWithoutKey() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            ConsumedRecord keyless = new ConsumedRecord("dialer.dispositions", 0, 1, null, null, null,
                    java.util.Map.of(), null);

            Message letter = DispositionDeadLetters.of(camel, keyless, DispositionDeadLetters.Reason.MALFORMED_JSON,
                    List.of(), "dispositions-publish", Instant.EPOCH);

            assertThat(letter.getHeader(KafkaConstants.KEY)).isNull();
            assertThat(letter.getBody()).isNull();
        }
    }
}
