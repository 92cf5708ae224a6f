package io.dialerbridge.operations;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * The gauge {@code dialer.stream.connected{route}}, one per route that consumes from Salesforce. It is 1 while the
 * route is connected (its streaming client completed its handshake and first connect), 0 otherwise, read at every
 * scrape as the readiness check reads it ({@link SalesforceStreamingHealthIndicator#routeState}). Routes switched off
 * are not exported, so an alert on 0 never fires for a stream nobody wants.
 */
class StreamConnectionMeters {

    private final CamelContext camel;
    private final MeterRegistry meters;
    private final Supplier<Collection<Route>> leaderOnlyRoutes;

    StreamConnectionMeters(CamelContext camel, MeterRegistry meters, Supplier<Collection<Route>> leaderOnlyRoutes) {
        this.camel = camel;
        this.meters = meters;
        this.leaderOnlyRoutes = leaderOnlyRoutes;
    }

    /** Registered once the routes exist (they are all in the context when the application is ready). */
    @EventListener(ApplicationReadyEvent.class)
    public void register() {
        // A standby's leader-only streams too: the gauge reads 0 until this replica leads and connects them.
        for (Route route : SalesforceStreamingHealthIndicator.salesforceRoutes(camel, leaderOnlyRoutes.get())) {
            if ("disabled".equals(SalesforceStreamingHealthIndicator.routeState(camel, route))) {
                continue;
            }
            String routeId = route.getRouteId();
            Gauge.builder("dialer.stream.connected", camel, context -> connected(context, routeId))
                    .tag("route", routeId)
                    .description("1 while the route's Salesforce stream is connected, 0 otherwise")
                    .register(meters);
        }
    }

    private static double connected(CamelContext camel, String routeId) {
        Route route = camel.getRoute(routeId);
        if (route == null) {
            return 0;
        }
        String state = SalesforceStreamingHealthIndicator.routeState(camel, route);
        return "connected".equals(state) || "started".equals(state) ? 1 : 0;
    }
}
