package io.dialerbridge.leadership;

import io.dialerbridge.salesforce.stream.SalesforceStreamConsumer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the routes named in {@code dialer.leadership.routes} on the leader only: started when this bridge takes
 * leadership (after the takeover, as the {@link TakeoverFirstClusterService} view says), a failed start tried again
 * with a capped back-off for as long as leadership lasts, stopped when it is lost.
 *
 * <p>Each gets a route policy of its own as its definition is added; a route's own policies act before those of
 * the context's factories, so it switches the route's auto-startup off before Camel's supervising route controller
 * (which starts and retries the stream routes of a bridge without an election) looks at the route, and the
 * controller leaves it alone: it would start it on every replica. Applied by route id, so the route files stay as
 * they are; a route switched off ({@code autoStartup} false, e.g. {@code dialer.streams.lead-cdc.enabled=false}) is
 * left alone and never started.
 */
public final class LeaderOnlyRoutes implements CamelClusterEventListener.Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderOnlyRoutes.class);

    private final Set<String> routeIds;
    private final Duration firstDelay;
    private final double multiplier;
    private final Duration maxDelay;
    /** Leader-only routes switched on, held back in their definitions, started here on the leader. */
    private final Map<String, Route> held = new ConcurrentHashMap<>();
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();
    /** Counts leadership changes: a retry scheduled under an earlier one is void. */
    private final AtomicLong term = new AtomicLong();
    private CamelContext camel;
    private ScheduledExecutorService executor;
    private volatile boolean leader;
    private volatile boolean camelStarted;

    /** A start that failed and is tried again: its attempt number and why the last one failed. */
    private record Retry(long term, int attempt, Duration delay, Throwable failure) {
    }

    /**
     * @param firstDelay wait before the first retry of a failed start; it grows by {@code multiplier} up to
     *     {@code maxDelay} (the bridge uses the route controller's numbers, {@code camel.routecontroller.back-off-*})
     */
    public LeaderOnlyRoutes(Set<String> routeIds, Duration firstDelay, double multiplier, Duration maxDelay) {
        this.routeIds = Set.copyOf(routeIds);
        this.firstDelay = firstDelay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
    }

    /**
     * Binds to a Camel context whose routes are not defined yet: holds the leader-only definitions back as they are
     * added, and hears when the context has started.
     */
    public void bindTo(CamelContext context) throws Exception {
        this.camel = context;
        this.executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "leader-only-routes");
        context.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(new HoldBack());
        context.getManagementStrategy().addEventNotifier(new ContextStarted());
    }

    /** The ids this applies to. */
    public Set<String> routeIds() {
        return routeIds;
    }

    /**
     * The leader-only routes switched on. Camel lists a route among its routes only once it has started (the
     * supervising route controller starts the routes itself), so a standby's would be missing there.
     */
    public Collection<Route> routes() {
        return List.copyOf(held.values());
    }

    /** Whether every leader-only route switched on has started here or has had its first attempt. */
    public boolean firstStartsAttempted() {
        return held.keySet().stream().allMatch(id -> retries.containsKey(id) || ServiceStatus.Started == status(id));
    }

    @Override
    public void leadershipChanged(CamelClusterView view, CamelClusterMember newLeader) {
        leader = view.getLocalMember().isLeader();
        term.incrementAndGet();
        executor.execute(this::reconcile);
    }

    /** On the executor only: brings the routes to what leadership says. */
    private void reconcile() {
        if (!camelStarted || !camel.isRunAllowed()) {
            return;
        }
        long current = term.get();
        if (leader) {
            for (String routeId : held.keySet()) {
                if (status(routeId) != ServiceStatus.Started && !retries.containsKey(routeId)) {
                    start(routeId, current, 0, firstDelay);
                }
            }
            return;
        }
        retries.clear();
        for (String routeId : held.keySet()) {
            ServiceStatus status = status(routeId);
            if (status != null && status.isStoppable()) {
                try {
                    LOG.info("Stopping leader-only route {}: another replica leads", routeId);
                    camel.getRouteController().stopRoute(routeId);
                } catch (Exception e) {
                    LOG.warn("Could not stop leader-only route {}: {}", routeId, e.toString());
                }
            }
        }
    }

    private void start(String routeId, long startTerm, int attempt, Duration delay) {
        if (startTerm != term.get() || !leader || !camel.isRunAllowed()) {
            return;
        }
        try {
            camel.getRouteController().startRoute(routeId);
            retries.remove(routeId);
            if (attempt > 0) {
                LOG.info("Leader-only route {} started at attempt {}", routeId, attempt + 1);
            }
        } catch (Exception e) {
            retries.put(routeId, new Retry(startTerm, attempt + 1, delay, e));
            LOG.warn("Leader-only route {} did not start (attempt {}); trying again in {} ms: {}", routeId,
                    attempt + 1, delay.toMillis(), e.toString());
            Duration next = Duration.ofMillis(Math.min(maxDelay.toMillis(), (long) (delay.toMillis() * multiplier)));
            executor.schedule(() -> {
                Retry pending = retries.get(routeId);
                if (pending != null && pending.term() == startTerm) {
                    start(routeId, startTerm, attempt + 1, next);
                }
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private ServiceStatus status(String routeId) {
        return camel.getRouteController().getRouteStatus(routeId);
    }

    /**
     * Gives each leader-only definition its {@link LeaderOnly} policy as it is added. A route's own policies come
     * before those of the context's factories, so the policy holds the route back before the supervising route
     * controller's policy looks at it, which leaves a route alone whose auto-startup is off.
     */
    private final class HoldBack implements ModelLifecycleStrategy {
        @Override
        public void onAddRouteDefinition(RouteDefinition definition) {
            String routeId = definition.getRouteId();
            if (routeId != null && routeIds.contains(routeId)) {
                definition.routePolicy(new LeaderOnly());
            }
        }

        @Override
        public void onRemoveRouteDefinition(RouteDefinition definition) {
            // A route reloaded in local mode is defined again, with a policy of its own.
        }

        @Override
        public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
        }

        @Override
        public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
        }
    }

    /**
     * A leader-only route's policy: holds a route that is switched on back from Camel's start (it starts here, on the
     * leader), tells the stream consumer that a failed start is tried again, and tells health whether the route
     * stands by or is being started.
     */
    public final class LeaderOnly extends RoutePolicySupport {

        @Override
        public void onInit(Route route) {
            if (!Boolean.TRUE.equals(route.isAutoStartup())) {
                // Switched off (dialer.streams.<route>.enabled=false): never started.
                return;
            }
            held.put(route.getRouteId(), route);
            route.setAutoStartup(false);
            route.getProperties().put(SalesforceStreamConsumer.START_RETRIED, true);
            LOG.info("Route {} runs on the leader only", route.getRouteId());
        }

        /**
         * What a leader-only route that is not started is doing: {@code standby} while another replica leads, else
         * {@code starting}, or, as for a route the supervising route controller restarts, {@code stopped,
         * restarting (attempt n): <why the last start failed>} while a failed start is retried; null for a route
         * switched off.
         */
        public String state(Route route) {
            if (!held.containsKey(route.getRouteId())) {
                return null;
            }
            if (!leader) {
                return "standby";
            }
            Retry retry = retries.get(route.getRouteId());
            if (retry == null) {
                return "starting";
            }
            return "stopped, restarting (attempt " + retry.attempt() + "): " + rootMessage(retry.failure());
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * Starts the routes once Camel has started, if this bridge already leads. Hears the context's start only: with a
     * notifier that does not ignore them, Camel makes an event object of every exchange and every send (about a
     * tenth of the stream routes' CPU, docs/benchmarks.md).
     */
    private final class ContextStarted extends EventNotifierSupport {
        ContextStarted() {
            setIgnoreExchangeEvents(true);
            setIgnoreStepEvents(true);
            setIgnoreRouteEvents(true);
            setIgnoreServiceEvents(true);
        }

        @Override
        public boolean isEnabled(CamelEvent event) {
            return event instanceof CamelEvent.CamelContextStartedEvent;
        }

        @Override
        public void notify(CamelEvent event) {
            camelStarted = true;
            executor.execute(LeaderOnlyRoutes.this::reconcile);
        }
    }
}
