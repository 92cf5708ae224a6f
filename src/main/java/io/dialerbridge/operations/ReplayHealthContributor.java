package io.dialerbridge.operations;

import io.dialerbridge.replay.ReplayCheckpoints;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * The {@code replay} health component, one component per Salesforce channel. Each shows its checkpoint, how far it is
 * behind Salesforce and how long its checkpoint stays within Salesforce's retention. Always UP: a lag is for the alerts
 * to judge ({@code monitoring/prometheus}), not a reason to take the bridge out of service.
 *
 * <p>Components are named after the channel without its slashes ({@code /data/ContactChangeEvent} →
 * {@code data-ContactChangeEvent}), so each can also be read at {@code /actuator/health/replay/<name>}.
 */
class ReplayHealthContributor implements CompositeHealthContributor {

    private final ReplayCheckpoints checkpoints;

    ReplayHealthContributor(ReplayCheckpoints checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return components().get(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return components().entrySet().stream()
                .map(entry -> NamedContributor.of(entry.getKey(), entry.getValue()))
                .iterator();
    }

    private Map<String, HealthContributor> components() {
        Map<String, HealthContributor> components = new LinkedHashMap<>();
        checkpoints.lags().forEach((channel, lag) -> components.put(componentName(channel),
                (HealthIndicator) () -> health(channel, lag)));
        return components;
    }

    static String componentName(String channel) {
        return channel.replaceFirst("^/", "").replace('/', '-');
    }

    private static Health health(String channel, ReplayCheckpoints.Lag lag) {
        Health.Builder health = Health.up().withDetail("channel", channel).withDetail("checkpoint", lag.checkpoint());
        if (lag.eventTime() != null) {
            health.withDetail("eventTime", lag.eventTime().toString());
        }
        health.withDetail("lagSeconds", seconds(lag.lag()));
        if (lag.retentionRemaining() != null) {
            health.withDetail("retentionRemainingSeconds", seconds(lag.retentionRemaining()));
        }
        return health.withDetail("catchingUp", lag.catchingUp()).build();
    }

    private static long seconds(Duration duration) {
        return duration == null ? 0 : duration.toSeconds();
    }
}
