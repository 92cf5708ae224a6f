package io.dialerbridge.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated dialer: it reads the bridge's commands from Kafka, prints one line per command, "calls" the people
 * that become callable, and posts each call's disposition to the bridge's REST intake.
 */
public class DemoDialer implements Runnable, AutoCloseable {

    private static final Logger TRACE = LoggerFactory.getLogger("demo");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OUTCOMES = List.of("INTERESTED", "NOT_INTERESTED", "NO_ANSWER", "VOICEMAIL",
            "FOLLOW_UP_LATER", "BUSY", "DO_NOT_CALL");

    private final KafkaConsumer<String, String> consumer;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI intake;
    private final String apiKey;
    private final Random random = new Random(7);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong dispositions = new AtomicLong();

    public DemoDialer(String bootstrapServers, List<String> topics, URI intake, String apiKey) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "demo-dialer",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                // As the contract asks of every dialer: only what the bridge committed.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        this.consumer.subscribe(topics);
        this.intake = intake;
        this.apiKey = apiKey;
    }

    @Override
    public void run() {
        try {
            while (running.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll.
        } finally {
            consumer.close();
        }
    }

    private void handle(ConsumerRecord<String, String> record) {
        commands.incrementAndGet();
        String type = header(record, "ce_type");
        TRACE.info("DIALER  {} {} {}", pad(type), record.key(), summary(record.value()));
        if ("dialer.contact.upsert".equals(type) && random.nextInt(3) == 0) {
            call(record.key(), record.value());
        }
    }

    private void call(String recordId, String upsert) {
        String phone = null;
        try {
            JsonNode phones = JSON.readTree(upsert).path("phones");
            for (JsonNode number : phones) {
                if (number.hasNonNull("e164")) {
                    phone = number.get("e164").asText();
                }
            }
        } catch (Exception ignored) {
            return;
        }
        String outcome = OUTCOMES.get(random.nextInt(OUTCOMES.size()));
        if (phone == null && outcome.equals("DO_NOT_CALL")) {
            outcome = "NO_ANSWER";
        }
        Instant ended = Instant.now();
        Map<String, Object> disposition = new LinkedHashMap<>();
        disposition.put("callId", "demo-" + UUID.randomUUID());
        disposition.put("recordId", recordId);
        disposition.put("disposition", outcome);
        disposition.put("phone", phone);
        disposition.put("agentId", "demo-agent-" + (1 + random.nextInt(5)));
        disposition.put("startedAt", ended.minusSeconds(95).toString());
        disposition.put("endedAt", ended.toString());
        disposition.put("durationSeconds", 95);
        if (outcome.equals("FOLLOW_UP_LATER")) {
            disposition.put("callbackAt", ended.plus(Duration.ofDays(1)).toString());
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(intake)
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(disposition)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                dispositions.incrementAndGet();
            }
            TRACE.info("DIALER  called {}: {} (intake answered {})", recordId, outcome, response.statusCode());
        } catch (Exception e) {
            TRACE.warn("DIALER  could not post the disposition for {}: {}", recordId, e.getMessage());
        }
    }

    public long commandCount() {
        return commands.get();
    }

    public long dispositionCount() {
        return dispositions.get();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "?" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String pad(String type) {
        return String.format("%-30s", type);
    }

    private static String summary(String value) {
        if (value == null) {
            return "";
        }
        return value.length() > 120 ? value.substring(0, 117) + "..." : value;
    }

    @Override
    public void close() {
        running.set(false);
        consumer.wakeup();
    }
}
