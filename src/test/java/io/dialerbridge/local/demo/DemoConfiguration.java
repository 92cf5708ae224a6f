package io.dialerbridge.local.demo;

import io.dialerbridge.disposition.ApiKeyAuthenticator;
import io.dialerbridge.disposition.DispositionsProperties;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * Local mode's demo: once the bridge is up, a simulated CRM acts in the emulated org and a simulated dialer reacts
 * to the commands, so the whole loop shows on the console. Off with {@code demo.enabled=false}.
 */
@Configuration(proxyBeanMethods = false)
@Profile("local")
@ConditionalOnProperty(name = "demo.enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(DemoProperties.class)
public class DemoConfiguration {

    private static final Logger TRACE = LoggerFactory.getLogger("demo");

    private final DemoProperties properties;
    private final DispositionsProperties dispositions;
    private final SalesforceEmulator org;
    private final EmbeddedKafkaBroker broker;
    private final DialerTopics topics;
    private final MeterRegistry meters;
    private ScheduledExecutorService scheduler;
    private DemoDialer dialer;

    public DemoConfiguration(DemoProperties properties, SalesforceEmulator org, EmbeddedKafkaBroker broker,
            DialerTopics topics, DispositionsProperties dispositions, MeterRegistry meters) {
        this.meters = meters;
        this.properties = properties;
        this.dispositions = dispositions;
        this.org = org;
        this.broker = broker;
        this.topics = topics;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start(ApplicationReadyEvent ready) {
        Environment environment = ready.getApplicationContext().getEnvironment();
        URI intake = URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port", "8080")
                + dispositions.getPath());
        // The intake's own first key, so the demo dialer keeps working when DIALER_API_KEYS is set in local mode.
        String apiKey = ApiKeyAuthenticator.keys(dispositions.getApiKeys()).stream().findFirst().orElse("");
        dialer = new DemoDialer(broker.bootstrapServers(), List.of(topics.getContactCommands(),
                topics.getCampaignControl()), intake, apiKey);
        DemoCrm crm = new DemoCrm(org);
        scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "demo");
            thread.setDaemon(true);
            return thread;
        });
        Thread dialerThread = new Thread(dialer, "demo-dialer");
        dialerThread.setDaemon(true);
        dialerThread.start();
        long interval = properties.getInterval().toMillis();
        scheduler.scheduleWithFixedDelay(crm::act, interval, interval, TimeUnit.MILLISECONDS);
        long summary = properties.getSummaryInterval().toMillis();
        scheduler.scheduleAtFixedRate(() -> TRACE.info("SUMMARY dialer received {} commands, posted {} dispositions;"
                + " Salesforce calls so far: {}; {}", dialer.commandCount(), dialer.dispositionCount(),
                org.traffic().calls().values().stream().mapToLong(Long::longValue).sum(), longWork()), summary,
                summary, TimeUnit.MILLISECONDS);
        TRACE.info("Demo traffic started: a simulated CRM acts every {} ms, a simulated dialer answers"
                + " (demo.enabled=false turns it off)", interval);
    }

    /** The bridge's replay lag and the long work under way (catch-ups, resyncs), as its metrics say. */
    private String longWork() {
        double lag = meters.find("dialer.replay.lag.seconds").gauges().stream().mapToDouble(Gauge::value)
                .filter(value -> !Double.isNaN(value)).max().orElse(0);
        long catchingUp = meters.find("dialer.catchup.in.progress").gauges().stream()
                .filter(gauge -> gauge.value() > 0).count();
        double resyncs = meters.find("dialer.resync.in.progress").gauges().stream().mapToDouble(Gauge::value).sum();
        double resynced = meters.find("dialer.resync.records").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        return String.format(java.util.Locale.ROOT, "replay lag %.0f s, %d channels catching up, %.0f resyncs under"
                + " way (%.0f records resynchronised so far)", lag, catchingUp, resyncs, resynced);
    }

    @EventListener(ContextClosedEvent.class)
    public void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (dialer != null) {
            dialer.close();
        }
    }
}
