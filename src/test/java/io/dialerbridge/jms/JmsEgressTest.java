package io.dialerbridge.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JmsEgressTest {

    final CamelContext camel = new DefaultCamelContext();
    final JmsEgress egress = new JmsEgress(Map.of("dialer.contact-commands", "queue:dialer.contact-commands",
            "dialer.suppressions", "queue:dialer.suppressions"));
    final List<String> commits = new ArrayList<>();

    Exchange record(String topic, int partition, long offset, String key, Object body, Map<String, Object> headers) {
        Exchange record = new DefaultExchange(camel);
        Message message = record.getMessage();
        headers.forEach(message::setHeader);
        message.setHeader(KafkaConstants.TOPIC, topic);
        message.setHeader(KafkaConstants.PARTITION, partition);
        message.setHeader(KafkaConstants.OFFSET, offset);
        message.setHeader(KafkaConstants.KEY, key);
        message.setHeader(KafkaConstants.MANUAL_COMMIT, (KafkaManualCommit) () -> commits.add(topic + "-"
                + partition + "@" + offset));
        message.setBody(body);
        return record;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class Messages {

        @Test
        void carriesTheBodyAndTheCloudEventsHeadersAsJmsPropertiesAndNothingOfKafka() {
            Exchange record = record("dialer.contact-commands", 0, 7, "003000000000001AAA", "{\"a\":1}", Map.of(
                    "ce_id", bytes("/data/ContactChangeEvent:5"), "ce_type", bytes("dialer.contact.upsert"),
                    "content-type", bytes("application/json"), "dialer_dead_letter_reason", bytes("X"),
                    "something_else", bytes("dropped")));

            Message message = egress.messages(List.of(record), new DefaultExchange(camel)).get(0);

            assertThat(message.getBody()).isEqualTo("{\"a\":1}");
            assertThat(message.getHeaders()).containsOnlyKeys("cloudEvents_id", "cloudEvents_type", "Content_Type",
                    "dialer_dead_letter_reason", "JMSXGroupID", "_AMQ_DUPL_ID", JmsEgress.DESTINATION);
            assertThat(message.getHeader("cloudEvents_id")).isEqualTo("/data/ContactChangeEvent:5");
            assertThat(message.getHeader("JMSXGroupID")).isEqualTo("003000000000001AAA");
            assertThat(message.getHeader("_AMQ_DUPL_ID")).isEqualTo("/data/ContactChangeEvent:5");
            assertThat(message.getHeader(JmsEgress.DESTINATION)).isEqualTo("queue:dialer.contact-commands");
        }

        @Test
        void givesARecordWithoutCeIdADuplicateIdThatIsTheSameEachTimeItIsRead() {
            Exchange row = record("dialer.suppressions", 2, 41, "record:003000000000001AAA", null, Map.of());

            Message message = egress.messages(List.of(row), new DefaultExchange(camel)).get(0);

            assertThat(message.getHeader("_AMQ_DUPL_ID")).isEqualTo("dialer.suppressions-2@41");
            assertThat(message.getBody()).isNull();
        }

        @Test
        void refusesATopicWithoutADestination() {
            Exchange record = record("dialer.campaign-control", 0, 1, "*", "{}", Map.of());

            assertThatThrownBy(() -> egress.messages(List.of(record), new DefaultExchange(camel)))
                    .hasMessageContaining("dialer.campaign-control");
        }
    }

    @Nested
    class Acknowledge {

        @Test
        void commitsTheLastRecordOfEveryPartitionOfTheBatch() {
            Exchange batch = new DefaultExchange(camel);
            egress.messages(List.of(
                    record("dialer.contact-commands", 0, 1, "a", "1", Map.of()),
                    record("dialer.suppressions", 0, 9, "b", "2", Map.of()),
                    record("dialer.contact-commands", 0, 2, "a", "3", Map.of()),
                    record("dialer.contact-commands", 1, 5, "c", "4", Map.of())), batch);

            egress.acknowledge(batch.getProperty(JmsEgress.BATCH, List.class));

            assertThat(commits).containsExactlyInAnyOrder("dialer.contact-commands-0@2", "dialer.suppressions-0@9",
                    "dialer.contact-commands-1@5");
        }
    }
}
