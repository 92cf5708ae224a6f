package io.dialerbridge.leadership;

import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.EventNotifier;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the routes named in {@code dialer.leadership.routes} under Camel's {@link ClusteredRoutePolicy}: they run on
 * the leader of the namespace only, started when this bridge takes leadership and stopped when it loses it. Applied
 * by route id, so the route files stay as they are; a route switched off ({@code autoStartup} false, e.g. {@code
 * dialer.streams.lead-cdc.enabled=false}) is left alone and never started by the policy.
 */
public final class LeaderOnlyRoutes implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderOnlyRoutes.class);

    private final Set<String> routeIds;
    private final PolicySource policies;
    private ClusteredRoutePolicy policy;

    /** Makes the one policy the routes share (one listener on the view, one leader state). */
    @FunctionalInterface
    public interface PolicySource {
        ClusteredRoutePolicy create(CamelContext camel) throws Exception;
    }

    public LeaderOnlyRoutes(Set<String> routeIds, PolicySource policies) {
        this.routeIds = Set.copyOf(routeIds);
        this.policies = policies;
    }

    @Override
    public synchronized RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
        if (!routeIds.contains(routeId) || !startsByItself(camel, route)) {
            return null;
        }
        if (policy == null) {
            try {
                policy = policies.create(camel);
            } catch (Exception e) {
                throw new IllegalStateException("Could not create the leadership policy of the routes", e);
            }
            quietenNotifier(camel);
        }
        LOG.info("Route {} runs on the leader only", routeId);
        return policy;
    }

    /** The ids this factory applies to. */
    public Set<String> routeIds() {
        return routeIds;
    }

    private static boolean startsByItself(CamelContext camel, NamedNode route) {
        if (route instanceof RouteDefinition definition && definition.getAutoStartup() != null) {
            String value = camel.resolvePropertyPlaceholders(definition.getAutoStartup());
            return Boolean.parseBoolean(value.strip());
        }
        return true;
    }

    /**
     * The policy listens for the context's start with an event notifier; with a notifier that does not ignore them,
     * Camel makes an event object of every exchange and every send (about a tenth of the stream routes' CPU,
     * docs/benchmarks.md). It needs only the context events.
     */
    private static void quietenNotifier(CamelContext camel) {
        for (EventNotifier notifier : camel.getManagementStrategy().getEventNotifiers()) {
            if (notifier instanceof EventNotifierSupport support
                    && notifier.getClass().getName().startsWith(ClusteredRoutePolicy.class.getName())) {
                support.setIgnoreExchangeEvents(true);
                support.setIgnoreStepEvents(true);
                support.setIgnoreRouteEvents(true);
                support.setIgnoreServiceEvents(true);
            }
        }
    }
}
