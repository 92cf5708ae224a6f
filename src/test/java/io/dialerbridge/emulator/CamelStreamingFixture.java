package io.dialerbridge.emulator;

import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.internal.streaming.CamelReplayState;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A running emulator and a Camel context whose salesforce component logs in to it, for tests that stream through
 * the real camel-salesforce consumer.
 */
public final class CamelStreamingFixture implements AutoCloseable {

    private final SalesforceEmulator emulator;
    private final CamelContext camel = new DefaultCamelContext();
    private final SalesforceComponent salesforce = new SalesforceComponent();

    public CamelStreamingFixture(EmulatorSettings settings) throws Exception {
        CamelReplayState.reset();
        emulator = new SalesforceEmulator(settings).start();
        salesforce.setLoginUrl(emulator.baseUrl());
        salesforce.setClientId(settings.clientId());
        salesforce.setClientSecret(settings.clientSecret());
        salesforce.setUserName(settings.username());
        salesforce.setPassword(settings.password());
        camel.addComponent("salesforce", salesforce);
    }

    public SalesforceEmulator emulator() {
        return emulator;
    }

    public CamelContext camel() {
        return camel;
    }

    public SalesforceComponent salesforce() {
        return salesforce;
    }

    /** Adds a route from the given salesforce endpoint to a mock endpoint named after the route id. */
    public MockEndpoint consume(String routeId, String salesforceUri) throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(salesforceUri).routeId(routeId).to("mock:" + routeId);
            }
        });
        return camel.getEndpoint("mock:" + routeId, MockEndpoint.class);
    }

    /**
     * Starts Camel with the streaming client connected before any route under test subscribes. camel-salesforce
     * subscribes a new consumer twice when its first connect reply races the subscribe; a consumer added once the
     * client is connected subscribes exactly once, which is what these tests need to be deterministic.
     */
    public void startConnected() throws Exception {
        consume("idle", "salesforce:subscribe:data/CampaignChangeEvent");
        camel.start();
        awaitSubscribed("/data/CampaignChangeEvent");
    }

    /** Waits until the emulator has a subscriber on the channel, so events published next are not "before". */
    public void awaitSubscribed(String channel) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> emulator.streaming().subscriberCount(channel) > 0);
    }

    /** Creates a record as an API client would, committing one transaction. */
    public String create(SObjectType type, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(emulator.settings().userId(),
                "com/salesforce/api/rest/56.0;client=test");
        String id = transaction.create(type, fields);
        transaction.commit();
        return id;
    }

    public void update(SObjectType type, String id, Map<String, ?> fields) {
        RecordStore.Transaction transaction = emulator.records().begin(emulator.settings().userId(),
                "com/salesforce/api/rest/56.0;client=test");
        transaction.update(type, id, fields);
        transaction.commit();
    }

    public void delete(SObjectType type, String id) {
        RecordStore.Transaction transaction = emulator.records().begin(emulator.settings().userId(),
                "com/salesforce/api/rest/56.0;client=test");
        transaction.delete(type, id);
        transaction.commit();
    }

    @Override
    public void close() throws Exception {
        camel.close();
        emulator.close();
    }
}
