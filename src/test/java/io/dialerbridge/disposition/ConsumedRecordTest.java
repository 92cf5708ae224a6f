package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dialerbridge.disposition.DispositionFixtures.RecordingCommit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ConsumedRecordTest {

    @Test
    void readsTheRecordCamelKafkaPutInTheExchangeWithoutCamelsHeaders() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getMessage().setHeader(KafkaConstants.TOPIC, "dialer.dispositions");
            exchange.getMessage().setHeader(KafkaConstants.PARTITION, 2);
            exchange.getMessage().setHeader(KafkaConstants.OFFSET, 41L);
            exchange.getMessage().setHeader(KafkaConstants.KEY, "00Q".getBytes(StandardCharsets.UTF_8));
            exchange.getMessage().setHeader("CamelMessageTimestamp", 1L);
            exchange.getMessage().setHeader("trace-id", "t-1".getBytes(StandardCharsets.UTF_8));
            exchange.getMessage().setBody("{}".getBytes(StandardCharsets.UTF_8));

            ConsumedRecord record = ConsumedRecord.of(exchange);

            assertThat(record.position()).isEqualTo("dialer.dispositions-2@41");
            assertThat(record.key()).isEqualTo("00Q".getBytes(StandardCharsets.UTF_8));
            assertThat(record.value()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
            assertThat(record.headers()).containsOnlyKeys("trace-id");
            assertThat(record.toString()).doesNotContain("{}");
        }
    }

    @Test
    void commitsTheLastRecordOfEveryPartition() {
        List<String> commits = RecordingCommit.log();
        List<ConsumedRecord> batch = List.of(
                DispositionFixtures.record(0, 10, "{}", new RecordingCommit(commits, "p0@10")),
                DispositionFixtures.record(1, 5, "{}", new RecordingCommit(commits, "p1@5")),
                DispositionFixtures.record(0, 11, "{}", new RecordingCommit(commits, "p0@11")),
                DispositionFixtures.record(2, 7, "{}", new RecordingCommit(commits, "p2@7")),
                DispositionFixtures.record(1, 6, "{}", new RecordingCommit(commits, "p1@6")));

        ConsumedRecord.commitAll(batch);

        assertThat(commits).containsExactlyInAnyOrder("p0@11", "p1@6", "p2@7");
    }

    @Test
    void withoutACommitHandleItRefusesRatherThanLeaveOffsetsBehind() {
        assertThatThrownBy(() -> ConsumedRecord.commitAll(List.of(DispositionFixtures.record(0, 1, "{}"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("allowManualCommit");
    }
}
