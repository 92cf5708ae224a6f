package io.dialerbridge.emulator.pubsub;

import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.streaming.EventBus;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The org's Pub/Sub API endpoint: gRPC over TLS (HTTP/2, ALPN) on its own port, serving {@link PubSubService}
 * behind {@link PubSubCallGate}, with a certificate made at start ({@link EmulatorCertificate}).
 */
public final class PubSubServer implements AutoCloseable {

    private final EmulatorSettings settings;
    private final PubSubService service;
    private final PubSubCallGate gate;
    private Server server;
    private ScheduledExecutorService keepAlives;

    public PubSubServer(EmulatorSettings settings, EventBus bus, PlatformEventPublisher platformEvents,
            Predicate<String> tokenValid, ApiTraffic traffic) {
        this.settings = settings;
        this.service = new PubSubService(settings, bus, new PubSubTopics(settings), platformEvents, tokenValid);
        this.gate = new PubSubCallGate(settings, traffic, tokenValid);
    }

    public synchronized PubSubServer start() throws IOException {
        EmulatorCertificate certificate = EmulatorCertificate.forHost(settings.host());
        if (settings.pubSubTrustedByThisJvm()) {
            EmulatorCertificate.trustInThisJvm();
        }
        server = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.pubSubPort()))
                .sslContext(GrpcSslContexts.configure(
                        SslContextBuilder.forServer(certificate.privateKey(), certificate.certificate())).build())
                .addService(ServerInterceptors.intercept(service, gate))
                .build()
                .start();
        keepAlives = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sf-emulator-pubsub-keepalive");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(10, Math.min(1_000, settings.pubSubKeepAliveInterval().toMillis()));
        keepAlives.scheduleAtFixedRate(service::keepAliveAll, tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    public int port() {
        return ((InetSocketAddress) server.getListenSockets().get(0)).getPort();
    }

    public String host() {
        return settings.host();
    }

    /** Subscribe streams open per topic. */
    public Map<String, Integer> subscriberCounts() {
        return service.subscriberCounts();
    }

    /** Re-checks every open stream's token at once (after the admin API expired them all). */
    public void checkTokens() {
        service.pumpAll();
    }

    /**
     * Ends every Subscribe stream from the server's side, as Salesforce does now and then: normally
     * ({@code onCompleted}), or with {@code UNAVAILABLE} and {@code sfdc.platform.eventbus.grpc.service.unavailable}.
     *
     * @return how many streams were open
     */
    public int endStreams(boolean withError) {
        return service.endAll(withError ? PubSubErrors.unavailable(UUID.randomUUID().toString()) : null);
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (server == null) {
            return;
        }
        keepAlives.shutdownNow();
        service.endAll(PubSubErrors.unavailable(UUID.randomUUID().toString()));
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
        server = null;
    }
}
