package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.command.phone.PhoneNormalizer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QueuedDispositionIntakeTest {

    final QueuedDispositionIntake intake = new QueuedDispositionIntake(new DispositionValidator(1000),
            new PhoneNormalizer("US"), "dialer.dead-letter",
            Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC));

    List<Message> read(String body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getIn().setBody(body);
        return intake.read(exchange);
    }

    static String header(Message message, String name) {
        return new String(message.getHeader(name, byte[].class), StandardCharsets.UTF_8);
    }

    @Nested
    class Valid {

        @Test
        void becomesOneDispositionsRecordKeyedByThePerson() {
            List<Message> records = read(DispositionFixtures.json("c-1", "NO_ANSWER"));

            assertThat(records).hasSize(1);
            assertThat(records.get(0).getHeader(KafkaConstants.KEY)).isEqualTo(DispositionFixtures.LEAD);
            assertThat(records.get(0).getHeader(KafkaConstants.OVERRIDE_TOPIC)).isNull();
        }

        @Test
        void anArrayKeepsItsValidElementsAndDeadLettersTheOthers() {
            List<Message> records = read("[" + DispositionFixtures.json("c-1", "NO_ANSWER") + ",{\"callId\":\"c-2\"}]");

            assertThat(records).hasSize(2);
            assertThat(records.get(0).getHeader(KafkaConstants.OVERRIDE_TOPIC)).isNull();
            assertThat(records.get(1).getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("dialer.dead-letter");
        }
    }

    @Nested
    class Invalid {

        @Test
        void notJsonIsDeadLetteredAsItCameWithItsReason() {
            Message letter = read("not json").get(0);

            assertThat(letter.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isEqualTo("dialer.dead-letter");
            assertThat(header(letter, "dialer_dead_letter_reason")).isEqualTo("MALFORMED_JSON");
            assertThat(header(letter, "dialer_dead_letter_route")).isEqualTo("jms-dispositions-ingress");
            assertThat(letter.getBody()).isEqualTo("not json");
        }

        @Test
        void anInvalidDispositionIsDeadLetteredNamingItsBadFields() {
            Message letter = read("{\"callId\":\"c-3\",\"disposition\":\"NO_ANSWER\"}").get(0);

            assertThat(header(letter, "dialer_dead_letter_reason")).isEqualTo("INVALID_DISPOSITION");
            assertThat(header(letter, "dialer_dead_letter_detail")).contains("recordId");
        }

        @Test
        void anInvalidDoNotCallStillGoesToTheDispositionsTopicSoItSuppresses() {
            String doNotCall = DispositionFixtures.json("c-4", "DO_NOT_CALL").replace("\"durationSeconds\": 125",
                    "\"durationSeconds\": -5");

            List<Message> records = read(doNotCall);

            assertThat(records).hasSize(1);
            Message record = records.get(0);

            assertThat(record.getHeader(KafkaConstants.OVERRIDE_TOPIC)).isNull();
            assertThat(record.getHeader(KafkaConstants.KEY)).isEqualTo(DispositionFixtures.LEAD);
            assertThat(record.getBody(String.class)).contains("-5");
        }
    }
}
