package io.dialerbridge.disposition;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The settings of the dispositions flow ({@code dialer.dispositions.*}): intake, batching, retry and the
 * published-calls memory. The routes read the same keys as placeholders; this class is what the beans read and what
 * is checked at start.
 */
@ConfigurationProperties("dialer.dispositions")
public class DispositionsProperties {

    /** Salesforce takes at most this many records in one sObject Collections request. */
    public static final int SALESFORCE_COLLECTION_LIMIT = 200;

    /** Comma-separated API keys the intake accepts as {@code Authorization: Bearer <key>} (DIALER_API_KEYS). */
    /** How dispositions reach Salesforce. */
    public enum Transport {
        /** sObject Collections over REST: one REST API call per request of up to 200 events. */
        REST,
        /** The Pub/Sub API's {@code Publish} (gRPC): no REST API calls. */
        PUBSUB
    }

    private Transport transport = Transport.REST;
    private String apiKeys = "";
    /** Path of the intake; the REST DSL and the body limit filter both use it. */
    private String path = "/api/v1/dispositions";
    /** Where the OpenAPI document of the intake is served. */
    private String openapiPath = "/api/v1/openapi.json";
    /** Largest request body the intake reads, in bytes; a larger one is answered 413. */
    private long maxRequestBytes = 2 * 1024 * 1024;
    /** Most dispositions one request may carry. */
    private int maxBatchSize = DispositionValidator.DEFAULT_MAX_BATCH_SIZE;

    private final Batch batch = new Batch();
    private final Retry retry = new Retry();
    private final PublishedCalls publishedCalls = new PublishedCalls();

    /** How dispositions are gathered into sObject Collections requests. */
    public static class Batch {
        /** Records per Salesforce request, and per Kafka batch (at most 200). */
        private int size = SALESFORCE_COLLECTION_LIMIT;
        /**
         * How long the consumer waits for more records before a batch that is not full is published, in
         * milliseconds; a disposition waits at most about twice this for its batch.
         */
        private long waitMs = 500;

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }

        public long getWaitMs() {
            return waitMs;
        }

        public void setWaitMs(long waitMs) {
            this.waitMs = waitMs;
        }
    }

    /** Backoff for Salesforce failures that go away by themselves (5xx, limits, locks). */
    public static class Retry {
        /** Attempts after the first, per batch, before the batch is given back to Kafka and read again. */
        private int attempts = 8;
        /** Delay before the first retry, in milliseconds; doubled each time. */
        private long initialDelayMs = 500;
        /** Longest delay between two attempts, in milliseconds. */
        private long maxDelayMs = 30_000;

        public int getAttempts() {
            return attempts;
        }

        public void setAttempts(int attempts) {
            this.attempts = attempts;
        }

        public long getInitialDelayMs() {
            return initialDelayMs;
        }

        public void setInitialDelayMs(long initialDelayMs) {
            this.initialDelayMs = initialDelayMs;
        }

        public long getMaxDelayMs() {
            return maxDelayMs;
        }

        public void setMaxDelayMs(long maxDelayMs) {
            this.maxDelayMs = maxDelayMs;
        }

        /** The delay before retry number {@code retry} (1 for the first): exponential, capped. */
        public long delayBefore(int retry) {
            if (retry <= 0) {
                return 0;
            }
            long delay = initialDelayMs;
            for (int i = 1; i < retry && delay < maxDelayMs; i++) {
                delay *= 2;
            }
            return Math.min(delay, maxDelayMs);
        }
    }

    /** The record of calls already published, which makes each call appear once in Salesforce. */
    public static class PublishedCalls {
        /** Compacted topic, keyed by call id, read at start and appended after each publish. */
        private String topic = "dialer-bridge.published-calls";
        /** How many call ids are kept in memory; the oldest are forgotten first. */
        private int memory = 200_000;
        /** How long the topic keeps a call id, in milliseconds (cleanup policy compact,delete). */
        private long retentionMs = 7L * 24 * 60 * 60 * 1000;

        public String getTopic() {
            return topic;
        }

        public void setTopic(String topic) {
            this.topic = topic;
        }

        public int getMemory() {
            return memory;
        }

        public void setMemory(int memory) {
            this.memory = memory;
        }

        public long getRetentionMs() {
            return retentionMs;
        }

        public void setRetentionMs(long retentionMs) {
            this.retentionMs = retentionMs;
        }
    }

    /** Whether any API key is configured; without one the intake refuses every request (the Kafka input works). */
    public boolean hasApiKeys() {
        return apiKeys != null && !apiKeys.isBlank();
    }

    /**
     * What is wrong with these settings, each problem naming the setting and the environment variable that sets it;
     * empty when the flow can start. Missing API keys are not among them: a dialer may use the Kafka input only,
     * and production mode's settings check requires {@code DIALER_API_KEYS} where the intake is served.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (maxRequestBytes < 1) {
            problems.add("dialer.dispositions.max-request-bytes (DIALER_DISPOSITIONS_MAX_REQUEST_BYTES) must be"
                    + " positive");
        }
        if (maxBatchSize < 1) {
            problems.add("dialer.dispositions.max-batch-size (DIALER_DISPOSITIONS_MAX_BATCH_SIZE) must be positive");
        }
        if (batch.size < 1 || batch.size > SALESFORCE_COLLECTION_LIMIT) {
            problems.add("dialer.dispositions.batch.size (DIALER_DISPOSITIONS_BATCH_SIZE) must be between 1 and "
                    + SALESFORCE_COLLECTION_LIMIT + ", the sObject Collections limit");
        }
        if (batch.waitMs < 1) {
            problems.add("dialer.dispositions.batch.wait-ms (DIALER_DISPOSITIONS_BATCH_WAITMS) must be positive");
        }
        if (retry.attempts < 0 || retry.initialDelayMs < 0 || retry.maxDelayMs < retry.initialDelayMs) {
            problems.add("dialer.dispositions.retry.* (DIALER_DISPOSITIONS_RETRY_*) must be non-negative, with"
                    + " max-delay-ms at least initial-delay-ms");
        }
        if (publishedCalls.topic == null || publishedCalls.topic.isBlank()) {
            problems.add("dialer.dispositions.published-calls.topic (DIALER_DISPOSITIONS_PUBLISHEDCALLS_TOPIC) is"
                    + " not set");
        }
        if (publishedCalls.memory < 1) {
            problems.add("dialer.dispositions.published-calls.memory (DIALER_DISPOSITIONS_PUBLISHEDCALLS_MEMORY)"
                    + " must be positive");
        }
        return problems;
    }

    public Transport getTransport() {
        return transport;
    }

    public void setTransport(Transport transport) {
        this.transport = transport;
    }

    public String getApiKeys() {
        return apiKeys;
    }

    public void setApiKeys(String apiKeys) {
        this.apiKeys = apiKeys;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public String getOpenapiPath() {
        return openapiPath;
    }

    public void setOpenapiPath(String openapiPath) {
        this.openapiPath = openapiPath;
    }

    public long getMaxRequestBytes() {
        return maxRequestBytes;
    }

    public void setMaxRequestBytes(long maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    public int getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(int maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public Batch getBatch() {
        return batch;
    }

    public Retry getRetry() {
        return retry;
    }

    public PublishedCalls getPublishedCalls() {
        return publishedCalls;
    }

    /** Says nothing about the keys, so the settings can be logged. */
    @Override
    public String toString() {
        return "DispositionsProperties[path=" + path + ", maxRequestBytes=" + maxRequestBytes + ", batch.size="
                + batch.size + ", batch.waitMs=" + batch.waitMs + ", publishedCalls.topic="
                + publishedCalls.topic + "]";
    }
}
