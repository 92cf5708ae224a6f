package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.ORG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EventOriginTest {

    private final EventOrigin origin = new EventOrigin(ORG, "/data/ContactChangeEvent", 103155L, Instant.EPOCH);

    @Nested
    class Source {

        @Test
        void isTheOrgFollowedByTheChannel() {
            assertThat(origin.source()).isEqualTo("/salesforce/00D000000000001AAA/data/ContactChangeEvent");
        }

        @Test
        void needsAChannelPath() {
            assertThatThrownBy(() -> new EventOrigin(ORG, "data/ContactChangeEvent", 1L, Instant.EPOCH))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new EventOrigin(" ", "/data/ContactChangeEvent", 1L, Instant.EPOCH))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class CommandIds {

        @Test
        void areTheChannelAndReplayIdForTheFirstCommandOfASingleRecordEvent() {
            assertThat(origin.commandId(CONTACT, false, 0, CommandType.CONTACT_UPSERT))
                    .isEqualTo("/data/ContactChangeEvent:103155");
        }

        @Test
        void carryTheRecordIdWhenTheEventFansOut() {
            assertThat(origin.commandId(CONTACT, true, 0, CommandType.CONTACT_UPSERT))
                    .isEqualTo("/data/ContactChangeEvent:103155:0035f00000AbCdEAAV");
        }

        @Test
        void carryTheTypeFromTheSecondCommandAboutARecord() {
            assertThat(origin.commandId(CONTACT, false, 1, CommandType.CONTACT_UPSERT))
                    .isEqualTo("/data/ContactChangeEvent:103155:contact.upsert");
            assertThat(origin.commandId(CONTACT, true, 1, CommandType.CONTACT_REMOVE))
                    .isEqualTo("/data/ContactChangeEvent:103155:0035f00000AbCdEAAV:contact.remove");
        }
    }
}
