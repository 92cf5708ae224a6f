package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The kafka readiness check against a real broker, and against an address where none listens. */
class KafkaHealthIndicatorIT {

    private CamelContext camel;
    private KafkaComponent kafka;

    @BeforeEach
    void startCamel() {
        camel = new DefaultCamelContext();
        kafka = new KafkaComponent();
        camel.addComponent("kafka", kafka);
        camel.start();
    }

    @AfterEach
    void stopCamel() throws Exception {
        camel.close();
    }

    @Test
    void isUpWithTheClusterOfTheComponentsBrokers(@TempDir Path data) {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(0).dataDirectory(data).start()) {
            kafka.getConfiguration().setBrokers(broker.bootstrapServers());

            Health health = new KafkaHealthIndicator(camel, Duration.ofSeconds(10)).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("brokers", broker.bootstrapServers())
                    .containsEntry("clusterId", broker.clusterId())
                    .containsEntry("nodes", 1);
        }
    }

    @Test
    void isDownWithinItsTimeoutWhenNoBrokerAnswers() throws IOException {
        kafka.getConfiguration().setBrokers("127.0.0.1:" + closedPort());

        Health health = new KafkaHealthIndicator(camel, Duration.ofMillis(500)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsKey("error");
    }

    @Test
    void isDownWhenNoBrokersAreConfigured() {
        Health health = new KafkaHealthIndicator(camel, Duration.ofMillis(500)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error"))).contains("KAFKA_BOOTSTRAP_SERVERS");
    }

    /** A port nothing listens on: one the system just handed out and that was closed again. */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
