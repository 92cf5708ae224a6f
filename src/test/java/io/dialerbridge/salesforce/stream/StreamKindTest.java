package io.dialerbridge.salesforce.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The channel an endpoint topic names, and which of the four streams a channel belongs to. */
class StreamKindTest {

    @Nested
    class ChannelOf {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource({
            "Foo,                      /topic/Foo",
            "DialerLeads,              /topic/DialerLeads",
            "/topic/Foo,               /topic/Foo",
            "topic/Foo,                /topic/Foo",
            "u/DialerControl,          /u/DialerControl",
            "/u/DialerControl,         /u/DialerControl",
            "data/ContactChangeEvent,  /data/ContactChangeEvent",
            "/data/ContactChangeEvent, /data/ContactChangeEvent",
            "event/Dialer_Command__e,  /event/Dialer_Command__e",
            "/event/Dialer_Command__e, /event/Dialer_Command__e"
        })
        void namesTheChannelAsCamelSalesforceDoes(String topic, String channel) {
            assertThat(StreamKind.channelOf(topic)).isEqualTo(channel);
        }

        @Test
        void aBarePushTopicNameWithALeadingSlashIsStillAPushTopic() {
            assertThat(StreamKind.channelOf("/Foo")).isEqualTo("/topic/Foo");
        }
    }

    @Nested
    class Of {

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
            "/topic/DialerLeads,             PUSH_TOPIC",
            "/u/DialerControl,               GENERIC",
            "/data/ContactChangeEvent,       CHANGE_DATA_CAPTURE",
            "/data/Employee__ChangeEvent,    CHANGE_DATA_CAPTURE",
            "/data/ChangeEvents,             CHANGE_DATA_CAPTURE",
            "/event/Dialer_Command__e,       PLATFORM_EVENT"
        })
        void tellsTheStreamByTheChannelPrefix(String channel, StreamKind kind) {
            assertThat(StreamKind.of(channel)).isEqualTo(kind);
        }

        @Test
        void readsTheChannelsTheEndpointTopicsOfTheRoutesName() {
            assertThat(StreamKind.of(StreamKind.channelOf("Foo"))).isEqualTo(StreamKind.PUSH_TOPIC);
            assertThat(StreamKind.of(StreamKind.channelOf("u/X"))).isEqualTo(StreamKind.GENERIC);
            assertThat(StreamKind.of(StreamKind.channelOf("/u/X"))).isEqualTo(StreamKind.GENERIC);
            assertThat(StreamKind.of(StreamKind.channelOf("data/ContactChangeEvent")))
                    .isEqualTo(StreamKind.CHANGE_DATA_CAPTURE);
            assertThat(StreamKind.of(StreamKind.channelOf("event/X__e"))).isEqualTo(StreamKind.PLATFORM_EVENT);
        }
    }

    @Nested
    class Retention {

        @ParameterizedTest
        @CsvSource({"/topic/DialerLeads, 24", "/u/DialerControl, 24", "/data/ContactChangeEvent, 72",
            "/event/Dialer_Command__e, 72"})
        void isHowLongSalesforceKeepsTheStreamsEventsForReplay(String channel, long hours) {
            assertThat(StreamKind.of(channel).retention()).isEqualTo(java.time.Duration.ofHours(hours));
        }
    }
}
