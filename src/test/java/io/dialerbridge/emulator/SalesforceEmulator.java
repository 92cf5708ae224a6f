package io.dialerbridge.emulator;

import io.dialerbridge.emulator.admin.AdminServlet;
import io.dialerbridge.emulator.data.IdGenerator;
import io.dialerbridge.emulator.data.PushTopicRules;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.StreamingChannelRules;
import io.dialerbridge.emulator.oauth.OAuthServlet;
import io.dialerbridge.emulator.oauth.SoapLoginServlet;
import io.dialerbridge.emulator.oauth.TokenStore;
import io.dialerbridge.emulator.pubsub.PubSubServer;
import io.dialerbridge.emulator.rest.ApiGateFilter;
import io.dialerbridge.emulator.rest.RestServlet;
import io.dialerbridge.emulator.streaming.ChangeEventPublisher;
import io.dialerbridge.emulator.streaming.EventBus;
import io.dialerbridge.emulator.streaming.GenericChannelPublisher;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import io.dialerbridge.emulator.streaming.PushTopicPublisher;
import io.dialerbridge.emulator.streaming.StreamingServer;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.http.jakarta.CometDServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Salesforce org that the real camel-salesforce client talks to unchanged: OAuth, the SOAP login, REST and
 * the CometD Streaming API on one HTTP port, plus an admin API for faults, and the Pub/Sub API (gRPC over TLS) on a
 * port of its own. Start it, point a client's login URL at {@link #baseUrl()} and its Pub/Sub host and port at
 * {@link #pubSubHost()} and {@link #pubSubPort()}, and close it when done.
 */
public final class SalesforceEmulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SalesforceEmulator.class);

    private final EmulatorSettings settings;
    private final ApiTraffic traffic = new ApiTraffic();
    private final TokenStore tokens;
    private final RecordStore records;
    private final EventBus bus;
    private final ChangeEventPublisher changeEvents;
    private final PlatformEventPublisher platformEvents;
    private final GenericChannelPublisher genericChannels;
    private final StreamingServer streaming;
    private final PubSubServer pubSub;
    private Server server;

    public SalesforceEmulator(EmulatorSettings settings) {
        this.settings = settings;
        this.tokens = new TokenStore(settings);
        this.records = new RecordStore(new IdGenerator(), settings.clock(), settings.recycleBinRetention());
        this.bus = new EventBus(settings);
        this.changeEvents = new ChangeEventPublisher(bus);
        this.platformEvents = new PlatformEventPublisher(settings, bus);
        this.genericChannels = new GenericChannelPublisher(settings, bus);
        this.streaming = new StreamingServer(settings, bus, tokens::isValid,
                new ChannelDirectory(records, platformEvents), traffic);
        this.pubSub = new PubSubServer(settings, bus, platformEvents, tokens::isValid, traffic);
        records.addListener(changeEvents::onCommit);
        records.addListener(new PushTopicPublisher(records, bus)::onCommit);
        records.addValidator(new PushTopicRules(records));
        records.addValidator(new StreamingChannelRules(records));
        defineGenericChannels();
    }

    private void defineGenericChannels() {
        if (settings.genericChannels().isEmpty()) {
            return;
        }
        RecordStore.Transaction setup = records.begin(settings.userId(), "");
        for (String channel : settings.genericChannels()) {
            setup.create(SObjectType.STREAMING_CHANNEL, Map.of("Name", channel,
                    "Description", "Defined by the emulator settings"));
        }
        setup.commit();
    }

    public synchronized SalesforceEmulator start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("sf-emulator");
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.setAttribute(BayeuxServer.ATTRIBUTE, streaming.bayeux());
        context.addServlet(new ServletHolder("oauth", new OAuthServlet(settings, tokens)), OAuthServlet.PATH_SPEC);
        context.addServlet(new ServletHolder("soap-login", new SoapLoginServlet(settings, tokens)),
                SoapLoginServlet.PATH_SPEC);
        context.addFilter(new FilterHolder(new ApiGateFilter(traffic, tokens)), "/services/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder("rest", new RestServlet(settings, records, platformEvents,
                genericChannels)),
                RestServlet.PATH_SPEC);
        ServletHolder cometd = new ServletHolder("cometd", new CometDServlet());
        cometd.setAsyncSupported(true);
        cometd.setInitOrder(1);
        context.addServlet(cometd, "/cometd/*");
        context.addServlet(new ServletHolder("admin", new AdminServlet(tokens, streaming, pubSub, traffic, bus,
                records, changeEvents, settings.userId(), settings.clock())), AdminServlet.PATH_SPEC);
        server.setHandler(context);
        server.start();
        pubSub.start();
        LOG.info("Salesforce emulator listening on {}, Pub/Sub API on {}:{} (TLS) (org {})", baseUrl(), pubSubHost(),
                pubSubPort(), settings.orgId());
        return this;
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** The login URL and instance URL of the emulated org. */
    public String baseUrl() {
        return "http://" + settings.host() + ":" + port();
    }

    /** The host of the Pub/Sub API (camel's {@code pubSubHost}); its certificate names it. */
    public String pubSubHost() {
        return settings.host();
    }

    /** The port the Pub/Sub API listens on (camel's {@code pubSubPort}). */
    public int pubSubPort() {
        return pubSub.port();
    }

    public PubSubServer pubSub() {
        return pubSub;
    }

    public EmulatorSettings settings() {
        return settings;
    }

    public ApiTraffic traffic() {
        return traffic;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public RecordStore records() {
        return records;
    }

    public EventBus bus() {
        return bus;
    }

    public ChangeEventPublisher changeEvents() {
        return changeEvents;
    }

    public PlatformEventPublisher platformEvents() {
        return platformEvents;
    }

    public GenericChannelPublisher genericChannels() {
        return genericChannels;
    }

    public StreamingServer streaming() {
        return streaming;
    }

    @Override
    public synchronized void close() throws Exception {
        pubSub.close();
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
