package io.dialerbridge.emulator.pubsub;

import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import io.dialerbridge.emulator.SalesforceEmulator;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A plain grpc-java client of the emulator's Pub/Sub API, on the default TLS channel (the JVM's trust, which the
 * emulator extended with its certificate) and the three auth headers, for the edges camel's client never reaches.
 */
final class PubSubTestClient implements AutoCloseable {

    private final SalesforceEmulator emulator;
    private final ManagedChannel channel;
    private final HttpClient http = HttpClient.newHttpClient();

    PubSubTestClient(SalesforceEmulator emulator) {
        this.emulator = emulator;
        this.channel = ManagedChannelBuilder.forAddress(emulator.pubSubHost(), emulator.pubSubPort()).build();
    }

    /** Blocking stub with a fresh token of the org. */
    PubSubGrpc.PubSubBlockingStub blocking() {
        return PubSubGrpc.newBlockingStub(channel).withInterceptors(auth(emulator.tokens().issue().value()))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    PubSubGrpc.PubSubBlockingStub blocking(String token) {
        return PubSubGrpc.newBlockingStub(channel).withInterceptors(auth(token))
                .withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** Opens a Subscribe stream with a fresh token and sends the first request. */
    Stream subscribe(FetchRequest first) {
        return subscribe(emulator.tokens().issue().value(), first);
    }

    Stream subscribe(String token, FetchRequest first) {
        Stream stream = new Stream();
        stream.requests = PubSubGrpc.newStub(channel).withInterceptors(auth(token)).subscribe(stream);
        stream.requests.onNext(first);
        return stream;
    }

    /** Opens a PublishStream with a fresh token; responses land in the list. */
    StreamObserver<com.salesforce.eventbus.protobuf.PublishRequest> publishStream(
            List<com.salesforce.eventbus.protobuf.PublishResponse> responses) {
        return PubSubGrpc.newStub(channel).withInterceptors(auth(emulator.tokens().issue().value()))
                .publishStream(new StreamObserver<>() {
                    @Override
                    public void onNext(com.salesforce.eventbus.protobuf.PublishResponse response) {
                        responses.add(response);
                    }

                    @Override
                    public void onError(Throwable failure) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
    }

    private io.grpc.ClientInterceptor auth(String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
        }
        headers.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), emulator.baseUrl());
        headers.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), emulator.settings().orgId());
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /** Calls the emulator's admin API and answers the body. */
    String admin(String method, String pathAndQuery) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder()
                .uri(URI.create(emulator.baseUrl() + "/emulator" + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + pathAndQuery + " answered " + response.statusCode());
        }
        return response.body();
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** One Subscribe call as the client sees it: every response, and how it ended. */
    static final class Stream implements StreamObserver<FetchResponse> {
        final List<FetchResponse> responses = new CopyOnWriteArrayList<>();
        volatile Throwable error;
        volatile boolean completed;
        StreamObserver<FetchRequest> requests;

        @Override
        public void onNext(FetchResponse response) {
            responses.add(response);
        }

        @Override
        public void onError(Throwable failure) {
            error = failure;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        void request(int count) {
            requests.onNext(FetchRequest.newBuilder().setNumRequested(count).build());
        }

        int eventCount() {
            return responses.stream().mapToInt(FetchResponse::getEventsCount).sum();
        }

        List<com.salesforce.eventbus.protobuf.ConsumerEvent> events() {
            return responses.stream().flatMap(response -> response.getEventsList().stream()).toList();
        }

        FetchResponse last() {
            return responses.get(responses.size() - 1);
        }

        void awaitEvents(int count) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> eventCount() >= count || error != null);
        }

        StatusRuntimeException awaitError() {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> error != null);
            return (StatusRuntimeException) error;
        }

        void cancel() {
            requests.onError(new IllegalStateException("test done"));
        }
    }
}
