package io.dialerbridge.leadership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code dialer.leadership.*}: how the replicas of one deployment elect the one that writes (docs/operations.md). */
@ConfigurationProperties("dialer.leadership")
public class LeadershipProperties {

    /** How the leader is elected. */
    public enum Mode {
        /** Kafka's group coordinator: the member assigned the single partition of {@link #topic} leads. */
        KAFKA,
        /** A {@code CamelClusterService} the deployment adds (e.g. camel-kubernetes' Lease); the bridge adds none. */
        CLUSTER_SERVICE,
        /** No election: every replica runs every route (one replica only). */
        NONE
    }

    private Mode mode = Mode.KAFKA;
    private String namespace = "dialer-bridge";
    private String topic = "dialer-bridge.leadership";
    private Duration sessionTimeout = Duration.ofSeconds(6);
    private Duration heartbeatInterval = Duration.ofSeconds(2);
    private List<String> routes = new ArrayList<>();
    private Duration startupWait = Duration.ofSeconds(60);

    public Duration getStartupWait() {
        return startupWait;
    }

    public void setStartupWait(Duration startupWait) {
        this.startupWait = startupWait;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public boolean isElected() {
        return mode != Mode.NONE;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public Duration getSessionTimeout() {
        return sessionTimeout;
    }

    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public List<String> getRoutes() {
        return routes;
    }

    public void setRoutes(List<String> routes) {
        this.routes = routes;
    }
}
