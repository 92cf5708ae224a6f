package io.dialerbridge.emulator.rest;

import static io.dialerbridge.emulator.rest.EmulatorRestClient.V56;
import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.rest.EmulatorRestClient.Reply;
import io.dialerbridge.emulator.streaming.StreamingEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic streaming push resource over HTTP: who listens, and string payloads pushed to a {@code /u/} channel. */
class StreamingChannelPushResourceIT {

    private static final String CHANNEL = "/u/DialerControl";

    private SalesforceEmulator emulator;
    private EmulatorRestClient api;
    private String pushPath;

    @BeforeEach
    void start() throws Exception {
        emulator = new SalesforceEmulator(EmulatorSettings.dialerOrg()).start();
        api = EmulatorRestClient.loggedIn(emulator);
        String channelId = (String) emulator.records().records(SObjectType.STREAMING_CHANNEL).get(0).get("Id");
        pushPath = V56 + "sobjects/StreamingChannel/" + channelId + "/push";
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
    }

    private List<String> pushedPayloads() {
        return emulator.bus().eventsAfter(CHANNEL, 0, Integer.MAX_VALUE).stream()
                .map(StreamingEvent::data)
                .map(data -> (String) data.get("payload"))
                .toList();
    }

    @Test
    void namesTheChannelAndNoOnlineUsers() throws Exception {
        Reply listeners = api.get(pushPath);

        assertThat(listeners.status()).isEqualTo(200);
        assertThat(listeners.json().get("ChannelName").asText()).isEqualTo(CHANNEL);
        assertThat(listeners.json().get("OnlineUserIds")).isEmpty();
    }

    @Test
    void publishesEveryPayloadAndAnswersAFanoutPerEvent() throws Exception {
        Reply pushed = api.post(pushPath, Map.of("pushEvents", List.of(
                Map.of("payload", "pause campaign 701", "userIds", List.of()),
                Map.of("payload", "resume", "userIds", List.of("005000000000001AAA")))));

        assertThat(pushed.status()).isEqualTo(200);
        assertThat(pushed.json()).hasSize(2);
        assertThat(pushed.json().get(0).get("fanoutCount").asInt()).isEqualTo(-1);
        assertThat(pushed.json().get(0).get("userOnlineStatus")).isEmpty();
        assertThat(pushed.json().get(1).get("fanoutCount").asInt()).isZero();
        assertThat(pushed.json().get(1).get("userOnlineStatus").get("005000000000001AAA").asBoolean()).isFalse();
        assertThat(pushedPayloads()).containsExactly("pause campaign 701", "resume");
    }

    @Test
    void refusesTheWholeRequestWhenOnePayloadIsTooLong() throws Exception {
        Reply refused = api.post(pushPath, Map.of("pushEvents", List.of(
                Map.of("payload", "fits", "userIds", List.of()),
                Map.of("payload", "x".repeat(3_001), "userIds", List.of()))));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.firstError().get("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
        assertThat(pushedPayloads()).isEmpty();
        assertThat(api.post(pushPath, Map.of("pushEvents", List.of(Map.of("payload", "x".repeat(3_000)))))
                .status()).isEqualTo(200);
    }

    @Test
    void answersForUnknownChannelsBadIdsAndMethods() throws Exception {
        assertThat(api.get(V56 + "sobjects/StreamingChannel/0M65f0000ZZZZZZ/push").status()).isEqualTo(404);
        Reply malformed = api.get(V56 + "sobjects/StreamingChannel/00Q5f0000ZZZZZZ/push");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.firstError().get("errorCode").asText()).isEqualTo("MALFORMED_ID");
        assertThat(api.delete(pushPath).status()).isEqualTo(405);
        assertThat(api.post(pushPath, "{\"pushEvents\":").firstError().get("errorCode").asText())
                .isEqualTo("JSON_PARSER_ERROR");
    }
}
