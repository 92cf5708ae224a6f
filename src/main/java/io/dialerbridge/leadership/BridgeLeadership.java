package io.dialerbridge.leadership;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This bridge's part in the election: whether it leads, and what it does before it does. It listens to the cluster
 * view ahead of the routes' {@code ClusteredRoutePolicy}, which the view tells after it (in the order they listen, on
 * one thread), so the takeover — fencing the old leader's transactional producers and catching up with the state it
 * wrote — is complete before any leader-only route screens or writes. A bridge fenced all the same (the old leader,
 * resumed after a pause) gives leadership up: it leaves the election for a while and joins again as a standby.
 */
public final class BridgeLeadership implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeLeadership.class);
    private static final Duration LONGEST_RETRY = Duration.ofSeconds(15);

    /** The work of a takeover; a failure is tried again while this bridge still leads. */
    @FunctionalInterface
    public interface Takeover {
        void run();
    }

    private final CamelClusterService service;
    private final String namespace;
    private final Takeover takeover;
    private final Duration rejoinDelay;
    private final Counter takeovers;
    private volatile CamelClusterView view;
    private volatile boolean leader;

    /**
     * @param service the cluster service; null for no election (every route runs here)
     * @param rejoinDelay how long a fenced bridge stays out of the election before it joins again as a standby
     */
    public BridgeLeadership(CamelClusterService service, String namespace, Takeover takeover, Duration rejoinDelay,
            MeterRegistry meters) {
        this.service = service;
        this.namespace = namespace;
        this.takeover = takeover;
        this.rejoinDelay = rejoinDelay;
        this.leader = service == null;
        this.takeovers = Counter.builder("dialer.leader.takeovers")
                .description("Times this replica took leadership over (at its start or from another replica)")
                .register(meters);
    }

    /** Listens to the namespace's view; called before any route starts, so this listener is told first. */
    public void attach() throws Exception {
        if (service != null && view == null) {
            view = service.getView(namespace);
            view.addEventListener(this);
        }
    }

    /** Whether the leader-only routes run here (always, without an election). */
    public boolean isLeader() {
        return leader;
    }

    public boolean isElected() {
        return service != null;
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

    @Override
    public void leadershipChanged(CamelClusterView changed, CamelClusterMember newLeader) {
        boolean local = changed.getLocalMember().isLeader();
        if (local && !leader) {
            LOG.info("Taking over as the leader of {}: fencing the previous leader and catching up with its state",
                    namespace);
            long started = System.nanoTime();
            if (!takeOver(changed)) {
                return;
            }
            leader = true;
            takeovers.increment();
            LOG.info("Leader of {} after {} ms: starting the leader-only routes", namespace,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } else if (!local && leader) {
            leader = false;
            LOG.warn("No longer the leader of {}: the leader-only routes stop", namespace);
        }
    }

    /** Runs the takeover until it succeeds; false when leadership went meanwhile. */
    private boolean takeOver(CamelClusterView changed) {
        long delay = 500;
        while (true) {
            try {
                takeover.run();
                return true;
            } catch (RuntimeException e) {
                if (!changed.getLocalMember().isLeader()) {
                    return false;
                }
                LOG.warn("The takeover of {} failed; trying again in {} ms: {}", namespace, delay, e.toString());
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                delay = Math.min(delay * 2, LONGEST_RETRY.toMillis());
            }
            if (!changed.getLocalMember().isLeader()) {
                return false;
            }
        }
    }

    /**
     * Another writer fenced this bridge's producer of {@code channel}: it is not the leader any more, whatever the
     * view last said. It leaves the election (its leader-only routes stop), and joins again after the rejoin delay,
     * as a standby behind the bridge that fenced it. Never ends the process.
     */
    public void fenced(String channel) {
        if (service == null) {
            return;
        }
        synchronized (this) {
            LOG.error("Another bridge fenced {}: giving up the leadership of {} for {} s", channel, namespace,
                    rejoinDelay.toSeconds());
            try {
                service.stopView(namespace);
                leader = false;
                Thread.sleep(rejoinDelay.toMillis());
                service.startView(namespace);
                LOG.info("Joined the election of {} again, as a standby", namespace);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.error("Could not leave and rejoin the election of {}: {}", namespace, e.toString(), e);
            }
        }
    }
}
