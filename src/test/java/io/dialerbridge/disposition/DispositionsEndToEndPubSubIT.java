package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.ApiTraffic;
import org.junit.jupiter.api.AfterEach;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link DispositionsEndToEndIT}, every case of it, with {@code dialer.dispositions.transport=pubsub}: the events go
 * through the emulator's Pub/Sub {@code Publish}, and faults are armed on the Pub/Sub API.
 */
@TestPropertySource(properties = "dialer.dispositions.transport=pubsub")
class DispositionsEndToEndPubSubIT extends DispositionsEndToEndIT {

    static final String GET_TOPIC = "RPC eventbus.v1.PubSub/GetTopic";

    /** Publishing attempts: each starts with GetTopic, which a busy Pub/Sub API refuses first. */
    @Override
    long collectionCalls() {
        return emulator.traffic().calls().getOrDefault(GET_TOPIC, 0L);
    }

    @Override
    void salesforceBusy(int count) {
        emulator.traffic().answerBusy(ApiTraffic.Api.PUBSUB, count);
    }

    @AfterEach
    void noRestCallPublished() {
        assertThat(emulator.traffic().calls().getOrDefault(COLLECTIONS, 0L))
                .as("sObject Collections calls with transport pubsub").isZero();
    }
}
