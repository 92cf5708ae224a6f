package io.dialerbridge.leadership;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code leadership} in readiness and the health endpoint: whether this replica leads (runs the Salesforce streams and
 * the DO_NOT_CALL suppression) or stands by. Both are UP: a standby serves the dispositions intake and publishes
 * dispositions, so it is ready.
 */
public final class LeadershipHealthIndicator extends AbstractHealthIndicator {

    private final BridgeLeadership leadership;
    private final LeadershipProperties properties;

    public LeadershipHealthIndicator(BridgeLeadership leadership, LeadershipProperties properties) {
        this.leadership = leadership;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.up()
                .withDetail("role", !leadership.isElected() ? "leader (no election)"
                        : leadership.isLeader() ? "leader" : "standby")
                .withDetail("mode", properties.getMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .withDetail("namespace", leadership.namespace())
                .withDetail("leaderOnlyRoutes", properties.getRoutes());
    }
}
