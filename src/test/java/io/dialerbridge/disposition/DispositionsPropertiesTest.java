package io.dialerbridge.disposition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DispositionsPropertiesTest {

    @Test
    void theDefaultsStartWithTheIntakeClosedUntilAKeyIsSet() {
        DispositionsProperties properties = new DispositionsProperties();

        assertThat(properties.problems()).isEmpty();
        assertThat(properties.hasApiKeys()).isFalse();

        properties.setApiKeys("local-dialer-key");
        assertThat(properties.hasApiKeys()).isTrue();
    }

    @Test
    void aBatchLargerThanSalesforceTakesIsRefusedNamingTheSetting() {
        DispositionsProperties properties = new DispositionsProperties();
        properties.setApiKeys("local-dialer-key");
        properties.getBatch().setSize(201);

        assertThat(properties.problems()).singleElement().asString()
                .contains("dialer.dispositions.batch.size").contains("DIALER_DISPOSITIONS_BATCH_SIZE").contains("200");
    }

    @Test
    void retryDelaysDoubleUpToTheMaximum() {
        DispositionsProperties.Retry retry = new DispositionsProperties().getRetry();
        retry.setInitialDelayMs(500);
        retry.setMaxDelayMs(3000);

        assertThat(IntStream.rangeClosed(0, 5).mapToLong(retry::delayBefore).toArray())
                .containsExactly(0, 500, 1000, 2000, 3000, 3000);
    }

    @Test
    void printsNoKeys() {
        DispositionsProperties properties = new DispositionsProperties();
        properties.setApiKeys("super-secret-key-0123");

        assertThat(properties.toString()).doesNotContain("super-secret");
    }
}
