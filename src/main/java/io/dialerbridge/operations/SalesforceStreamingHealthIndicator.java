package io.dialerbridge.operations;

import io.dialerbridge.leadership.LeaderOnlyRoutes;
import io.dialerbridge.salesforce.stream.PubSubStreamConsumer;
import io.dialerbridge.salesforce.stream.PubSubStreamEndpoint;
import io.dialerbridge.salesforce.stream.SalesforceStreamEndpoint;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpoint;
import org.apache.camel.component.salesforce.StreamingApiConsumer;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.apache.camel.util.backoff.BackOffTimer;
import org.apache.camel.spi.SupervisingRouteController;
import org.eclipse.jetty.client.ContentResponse;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Readiness of the Salesforce side. Every route that consumes from Salesforce and is meant to run must be started, the
 * streaming client behind it connected, the component's session logged in, and the org must answer a REST request now.
 *
 * <p>camel-salesforce 4.17 keeps its CometD client ({@code SubscriptionHelper.client}) package-private and offers no
 * listener for its state, so this check does not read the Bayeux connection state directly. It uses what is public:
 * the route status, the subscription helper's service status (its start returns only once the client reached
 * {@code CONNECTED}, and fails the route otherwise), the session's access token, and a {@code GET /services/data/}
 * sent through the component's own HTTP client (the versions list: it costs no API request allowance and proves the
 * instance is reachable through the same TLS and proxy settings). A streaming connection that drops later is
 * re-established by camel on its own; while the org is unreachable the REST request fails, so readiness goes down.
 *
 * <p>The component is looked up with {@link CamelContext#hasComponent}, never created: creating it would log in.
 */
public class SalesforceStreamingHealthIndicator extends AbstractHealthIndicator {

    private static final Set<String> HEALTHY_ROUTE_STATES = Set.of("connected", "resubscribing", "started", "disabled",
            "standby");

    private final CamelContext camel;
    private final Duration timeout;
    private final Supplier<Collection<Route>> leaderOnlyRoutes;

    /** Without leader-only routes (no election). */
    public SalesforceStreamingHealthIndicator(CamelContext camel, Duration timeout) {
        this(camel, timeout, List::of);
    }

    /** @param leaderOnlyRoutes the leader-only routes, which Camel does not list while they have not started */
    public SalesforceStreamingHealthIndicator(CamelContext camel, Duration timeout,
            Supplier<Collection<Route>> leaderOnlyRoutes) {
        super("Salesforce health check failed");
        this.camel = camel;
        this.timeout = timeout;
        this.leaderOnlyRoutes = leaderOnlyRoutes;
    }

    /** Every route of the context, started or not, that consumes from Salesforce. */
    static List<Route> salesforceRoutes(CamelContext camel, Collection<Route> leaderOnlyRoutes) {
        Map<String, Route> routes = new LinkedHashMap<>();
        for (Route route : camel.getRoutes()) {
            routes.put(route.getRouteId(), route);
        }
        for (Route route : leaderOnlyRoutes) {
            routes.putIfAbsent(route.getRouteId(), route);
        }
        return routes.values().stream().filter(SalesforceStreamingHealthIndicator::consumesFromSalesforce).toList();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        List<Route> salesforceRoutes = salesforceRoutes(camel, leaderOnlyRoutes.get());
        Component component = camel.hasComponent("salesforce");
        if (!(component instanceof SalesforceComponent salesforce) || salesforce.getSession() == null) {
            if (salesforceRoutes.isEmpty()) {
                builder.up().withDetail("routes", Map.of()).withDetail("session", "not used by any route");
            } else {
                builder.down().withDetail("session", "the salesforce component has not started");
            }
            return;
        }

        boolean healthy = true;
        Map<String, String> routes = new LinkedHashMap<>();
        for (Route route : salesforceRoutes) {
            String state = routeState(camel, route);
            routes.put(route.getRouteId(), state);
            healthy &= HEALTHY_ROUTE_STATES.contains(state);
        }
        builder.withDetail("routes", routes);

        SalesforceSession session = salesforce.getSession();
        String instanceUrl = session.getInstanceUrl();
        if (session.getAccessToken() == null || instanceUrl == null) {
            builder.down().withDetail("session", "not logged in");
            return;
        }
        builder.withDetail("session", "logged in").withDetail("instanceUrl", instanceUrl);

        String versionsUrl = instanceUrl.replaceAll("/+$", "") + "/services/data/";
        ContentResponse versions = salesforce.getHttpClient().newRequest(versionsUrl)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .send();
        builder.withDetail("rest", "GET /services/data/ " + versions.getStatus());
        healthy &= versions.getStatus() == 200;

        if (healthy) {
            builder.up();
        } else {
            builder.down();
        }
    }

    /**
     * A {@code salesforce:} route, or one whose consumer is camel-salesforce's streaming consumer behind an endpoint
     * of another component (as the bridge's own {@code salesforce-stream:} endpoints are).
     */
    static boolean consumesFromSalesforce(Route route) {
        // A stream route whose start has not succeeded yet may have no consumer: its endpoint says what it is.
        return route.getEndpoint() instanceof SalesforceEndpoint || route.getEndpoint() instanceof SalesforceStreamEndpoint
                || route.getEndpoint() instanceof PubSubStreamEndpoint || route.getConsumer() instanceof StreamingApiConsumer;
    }

    /**
     * {@code connected} for a started streaming consumer; {@code standby} for a leader-only route while another
     * replica leads, {@code starting} or {@code stopped, restarting (attempt n): <why>} while the leader starts it;
     * {@code disabled} for a
     * route that is not started because it is configured not to start (a stream switched off); else the route's status in lower case.
     */
    static String routeState(CamelContext camel, Route route) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
        if (status != ServiceStatus.Started) {
            String leaderOnly = route.getRoutePolicyList().stream()
                    .filter(LeaderOnlyRoutes.LeaderOnly.class::isInstance)
                    .map(policy -> ((LeaderOnlyRoutes.LeaderOnly) policy).state(route))
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (leaderOnly != null) {
                // "standby": another replica leads and runs it (docs/operations.md, "High availability"); else the
                // leader is starting it, retrying a failed start.
                return leaderOnly;
            }
            // The supervising route controller switches off auto-startup of the routes it starts itself.
            boolean supervised = Boolean.TRUE.equals(route.getProperties().get(Route.SUPERVISED));
            if (!supervised && Boolean.FALSE.equals(route.isAutoStartup()) && status == ServiceStatus.Stopped) {
                return "disabled";
            }
            String state = status == null ? "unknown" : status.name().toLowerCase(Locale.ROOT);
            return state + restartOf(camel, route);
        }
        if (route.getConsumer() instanceof StreamingApiConsumer streaming) {
            // The helper's start waits for the CometD handshake and first connect; before that it is "Starting".
            return streaming.getSubscriptionHelper().isStarted() ? "connected" : "connecting";
        }
        if (route.getConsumer() instanceof PubSubStreamConsumer pubSub) {
            // Between two Subscribe calls (a back-off of at most dialer.pubsub.max-back-off-ms) the route stays
            // ready, as a CometD route does while camel re-handshakes: the stream resumes by itself.
            return pubSub.isSubscribed() ? "connected" : "resubscribing";
        }
        // camel's own Pub/Sub API consumers and others: the route status is all that is public.
        return "started";
    }

    /**
     * {@code ", restarting (attempt 3): <why the last start failed>"} while the supervising route controller retries
     * the route's start, else empty.
     */
    private static String restartOf(CamelContext camel, Route route) {
        if (!(camel.getRouteController() instanceof SupervisingRouteController supervisor)) {
            return "";
        }
        BackOffTimer.Task restart = supervisor.getRestartingRouteState(route.getRouteId());
        if (restart == null) {
            return "";
        }
        Throwable failure = supervisor.getRestartException(route.getRouteId());
        String why = failure == null ? "" : ": " + rootMessage(failure);
        return ", restarting (attempt " + restart.getCurrentAttempts() + ")" + why;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
