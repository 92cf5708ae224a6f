package io.dialerbridge.operations;

import io.dialerbridge.kafka.KafkaClientSettings;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Readiness of the Kafka side. The brokers the kafka component writes to must describe their cluster within a short
 * timeout, asked with the component's own connection settings (security protocol, SASL, TLS), so a probe fails exactly
 * when the routes could not reach Kafka either.
 *
 * <p>Each check opens and closes its own admin client: between probes nothing keeps reconnecting to a broker that
 * is down and filling the log.
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator {

    private final CamelContext camel;
    private final Duration timeout;

    public KafkaHealthIndicator(CamelContext camel, Duration timeout) {
        super("Kafka health check failed");
        this.camel = camel;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        KafkaConfiguration kafka = camel.getComponent("kafka", KafkaComponent.class).getConfiguration();
        String brokers = kafka.getBrokers();
        builder.withDetail("brokers", brokers == null ? "" : brokers);
        if (brokers == null || brokers.isBlank()) {
            builder.down().withDetail("error", "camel.component.kafka.brokers (KAFKA_BOOTSTRAP_SERVERS) is not set");
            return;
        }
        int timeoutMs = Math.toIntExact(timeout.toMillis());
        try (Admin admin = Admin.create(adminSettings(kafka, timeoutMs))) {
            DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs));
            // The call's own timeout ends both futures; the extra second only guards against a client that hangs.
            long waitMs = timeoutMs + 1000L;
            String clusterId = cluster.clusterId().get(waitMs, TimeUnit.MILLISECONDS);
            int nodes = cluster.nodes().get(waitMs, TimeUnit.MILLISECONDS).size();
            builder.up().withDetail("clusterId", String.valueOf(clusterId)).withDetail("nodes", nodes);
        } catch (ExecutionException e) {
            builder.down(e.getCause());
        } catch (TimeoutException e) {
            builder.down().withDetail("error", "no answer within " + timeout.toMillis() + " ms");
        }
    }

    /** The component's producer settings that an admin client understands, plus short timeouts. */
    static Properties adminSettings(KafkaConfiguration kafka, int timeoutMs) {
        Properties settings = KafkaClientSettings.admin(kafka);
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "dialer-bridge-health");
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        return settings;
    }
}
