package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DialerCommandTest {

    private static DialerCommand upsertAt(Instant time) {
        return new DialerCommand(CommandType.CONTACT_UPSERT, CONTACT, "/data/ContactChangeEvent:6421",
                "/salesforce/00D000000000001AAA/data/ContactChangeEvent", CONTACT, time,
                map("recordId", CONTACT, "email", null));
    }

    @Nested
    class KafkaHeaders {

        @Test
        void areTheCloudEventsBinaryModeHeadersInOrder() {
            DialerCommand command = upsertAt(Instant.ofEpochMilli(1501010206653L));

            assertThat(command.kafkaHeaders()).containsExactly(
                    entry("ce_specversion", "1.0"),
                    entry("ce_id", "/data/ContactChangeEvent:6421"),
                    entry("ce_source", "/salesforce/00D000000000001AAA/data/ContactChangeEvent"),
                    entry("ce_type", "dialer.contact.upsert"),
                    entry("ce_subject", CONTACT),
                    entry("ce_time", "2017-07-25T19:16:46.653Z"),
                    entry("content-type", "application/json"));
        }

        @Test
        void writeWholeSecondsWithoutAFraction() {
            assertThat(upsertAt(Instant.ofEpochMilli(1708828037000L)).kafkaHeaders())
                    .containsEntry("ce_time", "2024-02-25T02:27:17Z");
        }
    }

    @Nested
    class Shape {

        @Test
        void takesItsTopicFromItsType() {
            assertThat(upsertAt(Instant.EPOCH).topic()).isEqualTo(CommandTopic.CONTACT_COMMANDS);
            assertThat(CommandType.BROADCAST.topic()).isEqualTo(CommandTopic.CAMPAIGN_CONTROL);
            assertThat(CommandTopic.CONTACT_COMMANDS.defaultName()).isEqualTo("dialer.contact-commands");
            assertThat(CommandTopic.CAMPAIGN_CONTROL.defaultName()).isEqualTo("dialer.campaign-control");
        }

        @Test
        void keepsNullsInDataBecauseTheyClearFields() {
            Map<String, Object> data = upsertAt(Instant.EPOCH).data();

            assertThat(data).containsExactly(entry("recordId", CONTACT), entry("email", null));
            assertThatThrownBy(() -> data.put("email", "x")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void namesEveryContractType() {
            assertThat(CommandType.values()).extracting(CommandType::ceType).containsExactly(
                    "dialer.contact.upsert", "dialer.contact.suppress", "dialer.contact.unsuppress",
                    "dialer.contact.remove", "dialer.campaign-member.add", "dialer.campaign-member.remove",
                    "dialer.campaign.pause", "dialer.campaign.resume", "dialer.campaign.dialing-mode",
                    "dialer.broadcast");
        }
    }
}
