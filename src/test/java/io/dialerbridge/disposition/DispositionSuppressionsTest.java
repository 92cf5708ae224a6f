package io.dialerbridge.disposition;

import static io.dialerbridge.disposition.DispositionFixtures.LEAD;
import static io.dialerbridge.disposition.DispositionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.command.CommandType;
import io.dialerbridge.command.DialerCommand;
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
import org.junit.jupiter.api.Test;

class DispositionSuppressionsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T18:00:00Z");

    private final CamelContext camel = new DefaultCamelContext();
    private final DispositionSuppressions suppressions = new DispositionSuppressions(new DispositionValidator(),
            Clock.fixed(NOW, ZoneOffset.UTC));

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
    void onlyValidDoNotCallDispositionsSuppress() {
        Exchange exchange = batch(json("c-1", "BUSY"), json("c-2", "DO_NOT_CALL"), "{not json", null,
                "{\"disposition\": \"DO_NOT_CALL\"}");

        DispositionSuppressions.SuppressionBatch batch = opened(exchange);

        assertThat(suppressions.hasDoNotCall(batch)).isTrue();
        assertThat(batch.records()).hasSize(5);
        assertThat(suppressions.commands(batch)).extracting(command -> command.data().get("recordId"))
                .containsExactly(LEAD);
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
