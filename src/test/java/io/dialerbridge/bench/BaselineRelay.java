package io.dialerbridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.emulator.EmulatorSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.eclipse.jetty.client.Request;

/**
 * The bare baseline: a plain CometD client that copies every event of one channel to Kafka, without Camel. The
 * harness runs it in its own JVM, as it runs the bridge: {@code BaselineRelay <baseUrl> <channel> <replayFrom>
 * <bootstrapServers> <topic>} relays until it is stopped.
 */
final class BaselineRelay implements AutoCloseable {

    public static void main(String[] args) throws Exception {
        BaselineRelay relay = new BaselineRelay(args[3]);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                relay.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        relay.start(args[0], args[1], Long.parseLong(args[2]), args[4]);
        System.out.println("baseline relaying " + args[1] + " to " + args[4]);
        Thread.currentThread().join(); // until SIGTERM
    }

    private final org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
    private final KafkaProducer<String, String> producer;
    private final ObjectMapper json = new ObjectMapper();
    private BayeuxClient client;

    BaselineRelay(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /**
     * Logs in with the password flow, subscribes to the channel after {@code replayFrom} (-1 only new, -2 all retained)
     * and relays to the topic, keyed by replay id.
     */
    void start(String baseUrl, String channel, long replayFrom, String topic) throws Exception {
        EmulatorSettings org = EmulatorSettings.dialerOrg(); // the emulated org the harness starts
        String form = "grant_type=password&client_id=" + encode(org.clientId()) + "&client_secret="
                + encode(org.clientSecret()) + "&username=" + encode(org.username()) + "&password="
                + encode(org.password());
        HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String token = (String) json.readValue(login.body(), Map.class).get("access_token");
        if (token == null) {
            throw new IllegalStateException("login failed: " + login.body());
        }
        jetty.start();
        JettyHttpClientTransport transport = new JettyHttpClientTransport(new HashMap<>(), jetty) {
            @Override
            protected void customize(Request request) {
                super.customize(request);
                request.headers(headers -> headers.put("Authorization", "OAuth " + token));
            }
        };
        client = new BayeuxClient(baseUrl + "/cometd/56.0", transport);
        client.addExtension(new ClientSession.Extension() {
            @Override
            public boolean sendMeta(ClientSession session, Message.Mutable message) {
                if (Channel.META_HANDSHAKE.equals(message.getChannel())) {
                    message.getExt(true).put("replay", Boolean.TRUE);
                } else if (Channel.META_SUBSCRIBE.equals(message.getChannel())) {
                    message.getExt(true).put("replay", Map.of(channel, replayFrom));
                }
                return true;
            }
        });
        CountDownLatch subscribed = new CountDownLatch(1);
        client.handshake(reply -> {
            if (reply.isSuccessful()) {
                client.getChannel(channel).subscribe((c, message) -> relay(topic, message),
                        reply2 -> subscribed.countDown());
            }
        });
        if (!subscribed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("baseline did not subscribe");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private void relay(String topic, Message message) {
        Map<String, Object> data = message.getDataAsMap();
        @SuppressWarnings("unchecked")
        Object replayId = ((Map<String, Object>) data.get("event")).get("replayId");
        try {
            producer.send(new ProducerRecord<>(topic, String.valueOf(replayId), json.writeValueAsString(data)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.disconnect(1000);
        }
        producer.close();
        jetty.stop();
    }
}
