package io.dialerbridge.leadership;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.camel.cluster.CamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This bridge's part in the election: whether it leads, and what it does before it does. The takeover — fencing the
 * old leader's transactional producers and catching up with the state it wrote — runs when the elector names this
 * bridge, before {@link TakeoverFirstClusterService} lets the leader-only routes start. A bridge fenced all the same
 * (the old leader, resumed after a pause) gives leadership up: it leaves the election for a while and joins again as
 * a standby.
 */
public final class BridgeLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeLeadership.class);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);

    /** The work of a takeover; a failure is tried again while this bridge is still elected. */
    @FunctionalInterface
    public interface Takeover {
        void run();
    }

    private final CamelClusterService elector;
    private final String namespace;
    private final Takeover takeover;
    private final Duration rejoinDelay;
    private final Counter takeovers;
    private volatile boolean leader;

    /**
     * @param elector the cluster service that elects; null for no election (every route runs here)
     * @param rejoinDelay how long a fenced bridge stays out of the election before it joins again as a standby
     */
    public BridgeLeadership(CamelClusterService elector, String namespace, Takeover takeover, Duration rejoinDelay,
            MeterRegistry meters) {
        this.elector = elector;
        this.namespace = namespace;
        this.takeover = takeover;
        this.rejoinDelay = rejoinDelay;
        this.leader = elector == null;
        this.takeovers = Counter.builder("dialer.leader.takeovers")
                .description("Times this replica took leadership over (at its start or from another replica)")
                .register(meters);
    }

    /** Whether the leader-only routes run here (always, without an election). */
    public boolean isLeader() {
        return leader;
    }

    public boolean isElected() {
        return elector != null;
    }

    public String namespace() {
        return namespace;
    }

    /** {@code dialer.leader{route}}: 1 for each leader-only route while this replica leads, else 0. */
    public void registerMeters(MeterRegistry meters, Set<String> routeIds) {
        for (String routeId : routeIds) {
            Gauge.builder("dialer.leader", this, leadership -> leadership.isLeader() ? 1 : 0)
                    .tag("route", routeId)
                    .description("1 while this replica leads, so runs the route; 0 on a standby")
                    .register(meters);
        }
    }

    /**
     * The elector named this bridge: runs the takeover until it succeeds, then this bridge leads. False when the
     * election moved on meanwhile ({@code stillElected} turned false).
     */
    boolean takeOver(BooleanSupplier stillElected) {
        LOG.info("Taking over as the leader of {}: fencing the previous leader and catching up with its state",
                namespace);
        long started = System.nanoTime();
        long delay = 500;
        while (stillElected.getAsBoolean()) {
            try {
                takeover.run();
                leader = true;
                takeovers.increment();
                LOG.info("Leader of {} after a takeover of {} ms: starting the leader-only routes", namespace,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                return true;
            } catch (RuntimeException e) {
                if (!stillElected.getAsBoolean()) {
                    break;
                }
                LOG.warn("The takeover of {} failed; trying again in {} ms: {}", namespace, delay, e.toString());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
                delay = Math.min(delay * 2, LONGEST_RETRY.toMillis());
            }
        }
        LOG.warn("The takeover of {} was abandoned: this bridge is no longer elected", namespace);
        return false;
    }

    /** Leadership went elsewhere (or this bridge stops): the leader-only routes are being stopped. */
    void lost() {
        if (leader) {
            leader = false;
            LOG.warn("No longer the leader of {}: the leader-only routes stop", namespace);
        }
    }

    /**
     * Another writer fenced this bridge's producer of {@code channel}: it is not the leader any more, whatever the
     * elector last said. It leaves the election (its leader-only routes stop), and joins again after the rejoin
     * delay, as a standby behind the bridge that fenced it. Never ends the process.
     */
    public void fenced(String channel) {
        if (elector == null) {
            return;
        }
        synchronized (this) {
            LOG.error("Another bridge fenced {}: giving up the leadership of {} for {} s", channel, namespace,
                    rejoinDelay.toSeconds());
            // At once: readiness and the gauges hear it before the election has let go.
            leader = false;
            try {
                elector.stopView(namespace);
                Thread.sleep(rejoinDelay.toMillis());
                elector.startView(namespace);
                LOG.info("Joined the election of {} again, as a standby", namespace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.error("Could not leave and rejoin the election of {}: {}", namespace, e.toString(), e);
            }
        }
    }
}
