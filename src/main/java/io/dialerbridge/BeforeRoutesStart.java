package io.dialerbridge;

import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.Ordered;
import org.apache.camel.StartupListener;

/**
 * Work to do as Camel starts, once its components are configured and its routes defined, before any route starts.
 * It is a Camel {@link StartupListener}, not a camel-spring-boot {@code CamelContextConfiguration}: for any bean of
 * that type camel-spring-boot registers an event notifier, and with a notifier present Camel turns every exchange and
 * every send to an endpoint into an event object, which costs the stream routes about a tenth of their CPU
 * (docs/benchmarks.md).
 */
public final class BeforeRoutesStart implements StartupListener, Ordered {

    private final Consumer<CamelContext> work;
    private final int order;

    private BeforeRoutesStart(Consumer<CamelContext> work, int order) {
        this.work = work;
        this.order = order;
    }

    /** Registers {@code work} with a Camel context that has not started yet; returned to be kept as a bean. */
    public static BeforeRoutesStart register(CamelContext camel, Consumer<CamelContext> work) {
        return register(camel, 0, work);
    }

    /**
     * Registers {@code work} to run before (a lower {@code order}) or after the steps registered without one (order
     * 0); steps of the same order run in the order they registered.
     */
    public static BeforeRoutesStart register(CamelContext camel, int order, Consumer<CamelContext> work) {
        BeforeRoutesStart listener = new BeforeRoutesStart(work, order);
        try {
            camel.addStartupListener(listener);
        } catch (Exception e) {
            throw new IllegalStateException("Could not register a start-up step with Camel", e);
        }
        return listener;
    }

    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        work.accept(context);
    }

    @Override
    public int getOrder() {
        return order;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }
}
