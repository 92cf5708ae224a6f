package io.dialerbridge.local.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.BrokerServer;
import kafka.server.ControllerServer;
import kafka.server.FaultHandlerFactory;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.server.Server;
import kafka.server.SharedServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * A single-node Kafka broker in KRaft combined mode (broker and controller in one node) running inside this JVM,
 * for local mode and tests.
 *
 * <p>It assembles Kafka's own {@code SharedServer}, {@code ControllerServer} and {@code BrokerServer} the way
 * {@code KafkaRaftServer} does, rather than using {@code KafkaRaftServer} itself, for two reasons: the controller
 * can then bind an ephemeral port and announce it to the quorum only once bound (no probe-then-bind race), and
 * a fatal Kafka fault is logged instead of halting the whole JVM (the application or the test run).
 *
 * <p>One instance runs once: after {@link #close()} it cannot be started again. To restart on the same data,
 * build a new broker on the same {@linkplain Builder#dataDirectory(Path) data directory}; topics, records and
 * committed offsets survive.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    private enum State { NEW, RUNNING, CLOSED }

    private final Builder settings;

    private State state = State.NEW;
    private Path dataDirectory;
    private boolean deleteDataDirectoryOnClose;
    private String clusterId;
    private ControllerServer controller;
    private BrokerServer broker;
    private Admin admin;
    private int port;

    private EmbeddedKafkaBroker(Builder settings) {
        this.settings = settings.copy();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats the data directory if it is new, starts controller and broker, and returns once an admin client
     * sees the broker in the cluster, or throws when that takes longer than the startup timeout.
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("An embedded Kafka broker starts once; this one is " + state);
        }
        state = State.RUNNING;
        long deadline = System.nanoTime() + settings.startupTimeout.toNanos();
        try {
            prepareDataDirectory();
            startServers();
            port = broker.boundPort(ListenerName.normalised(BROKER_LISTENER));
            admin = Admin.create(adminProperties());
            awaitBrokerInCluster(deadline);
            LOG.info("Embedded Kafka broker ready on {} (cluster {}, data in {})",
                    bootstrapServers(), clusterId, dataDirectory);
            return this;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(e);
            // Kafka reports most failures as "fatal error while waiting for ..."; the innermost cause says why.
            throw new IllegalStateException("Embedded Kafka broker did not start on " + HOST + ":"
                    + (settings.port == 0 ? "<free port>" : settings.port) + " with data in " + dataDirectory
                    + ": " + innermostMessage(e), e);
        } catch (Error e) {
            closeQuietly(e);
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}, for clients' {@code bootstrap.servers}. */
    public synchronized String bootstrapServers() {
        return HOST + ":" + port();
    }

    /** The port the broker listener is bound to; the chosen one when the builder asked for 0. */
    public synchronized int port() {
        requireRunning();
        return port;
    }

    public synchronized Path dataDirectory() {
        requireRunning();
        return dataDirectory;
    }

    public synchronized String clusterId() {
        requireRunning();
        return clusterId;
    }

    public synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Creates the topics that do not exist yet and leaves existing ones as they are (their partitions and
     * configs are not compared), so callers can declare their topics on every start.
     */
    public void createTopics(Collection<NewTopic> topics) {
        Admin client;
        synchronized (this) {
            requireRunning();
            client = admin;
        }
        int timeoutMs = (int) settings.operationTimeout.toMillis();
        Map<String, KafkaFuture<Void>> results =
                client.createTopics(topics, new CreateTopicsOptions().timeoutMs(timeoutMs)).values();
        long deadline = System.nanoTime() + settings.operationTimeout.toNanos();
        for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
            try {
                result.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("Could not create topic " + result.getKey() + ": "
                            + e.getCause().getMessage(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Topic " + result.getKey() + " was not created within "
                        + settings.operationTimeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while creating topic " + result.getKey(), e);
            }
        }
    }

    /** Shuts broker and controller down, waits for them, and deletes the data directory if it was a temporary one. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        Admin client = admin;
        BrokerServer brokerServer = broker;
        ControllerServer controllerServer = controller;
        admin = null;
        broker = null;
        controller = null;
        // Every step runs even if an earlier one failed, so a failing broker never leaves a controller behind.
        List<Runnable> steps = new ArrayList<>();
        if (client != null) {
            steps.add(() -> client.close(Duration.ZERO));
        }
        // Broker first: in combined mode its controlled shutdown needs the controller, as in KafkaRaftServer.
        if (brokerServer != null) {
            steps.add(() -> brokerServer.shutdown(settings.shutdownTimeout));
        }
        if (controllerServer != null) {
            steps.add(controllerServer::shutdown);
        }
        // Both reach SHUTDOWN in a finally block, so these return even after a failed shutdown.
        if (brokerServer != null) {
            steps.add(brokerServer::awaitShutdown);
        }
        if (controllerServer != null) {
            steps.add(controllerServer::awaitShutdown);
        }
        if (deleteDataDirectoryOnClose && dataDirectory != null) {
            Path temporary = dataDirectory;
            steps.add(() -> {
                try {
                    Utils.delete(temporary.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not delete the broker's temporary data directory "
                            + temporary, e);
                }
            });
        }
        RuntimeException failure = null;
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        LOG.debug("Embedded Kafka broker stopped");
    }

    private void prepareDataDirectory() throws Exception {
        if (settings.dataDirectory == null) {
            dataDirectory = Files.createTempDirectory("embedded-kafka-");
            deleteDataDirectoryOnClose = true;
        } else {
            dataDirectory = Files.createDirectories(settings.dataDirectory.toAbsolutePath());
        }
        Path metaProperties = dataDirectory.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
        if (Files.exists(metaProperties)) {
            // Formatting again would need the old cluster id; the broker reads it from meta.properties anyway.
            return;
        }
        String dir = dataDirectory.toString();
        ByteArrayOutputStream formatterOutput = new ByteArrayOutputStream();
        new Formatter()
                .setPrintStream(new PrintStream(formatterOutput, true, StandardCharsets.UTF_8))
                .setNodeId(NODE_ID)
                .setClusterId(Uuid.randomUuid().toString())
                .setDirectories(List.of(dir))
                .setMetadataLogDirectory(dir)
                .setControllerListenerName(CONTROLLER_LISTENER)
                .run();
        LOG.debug("Formatted {}: {}", dir, formatterOutput.toString(StandardCharsets.UTF_8).strip());
    }

    private void startServers() {
        KafkaConfig config = KafkaConfig.fromProps(brokerProperties(), false);
        Tuple2<MetaPropertiesEnsemble, BootstrapMetadata> logDirs =
                KafkaRaftServer.initializeLogDirs(config, LOG, "[EmbeddedKafkaBroker] ");
        MetaPropertiesEnsemble metaProperties = logDirs._1();
        clusterId = metaProperties.clusterId().orElseThrow();
        // The quorum's only voter is this node; its address is known once the controller socket is bound.
        CompletableFuture<Map<Integer, InetSocketAddress>> voters = new CompletableFuture<>();
        SharedServer sharedServer = new SharedServer(config, metaProperties, Time.SYSTEM,
                Server.initializeMetrics(config, Time.SYSTEM, clusterId), voters, List.of(), loggingFaultHandlers());
        controller = new ControllerServer(sharedServer, KafkaRaftServer.configSchema(), logDirs._2());
        broker = new BrokerServer(sharedServer);
        // Completes synchronously on the startup thread, before the raft client asks for its voters.
        controller.socketServerFirstBoundPortFuture().thenAccept(
                controllerPort -> voters.complete(Map.of(NODE_ID, new InetSocketAddress(HOST, controllerPort))));
        controller.startup();
        broker.startup();
    }

    private Properties brokerProperties() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", NODE_ID);
        // Port 0 is a placeholder: the voter address is supplied once the controller has bound (startServers).
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":0");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + settings.port + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":0");
        props.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", dataDirectory.toString());
        props.put("num.partitions", settings.defaultPartitions);
        props.put("default.replication.factor", 1);
        props.put("min.insync.replicas", 1);
        props.put("auto.create.topics.enable", settings.autoCreateTopics);
        // One node cannot meet the default replication factor of 3 for internal topics.
        props.put("offsets.topic.replication.factor", 1);
        props.put("transaction.state.log.replication.factor", 1);
        props.put("transaction.state.log.min.isr", 1);
        // 50 partitions each would only slow the first consumer group and transaction down.
        props.put("offsets.topic.num.partitions", 1);
        props.put("transaction.state.log.num.partitions", 1);
        props.put("group.initial.rebalance.delay.ms", 0);
        props.put("log.retention.ms", settings.logRetention.toMillis());
        props.put("log.retention.bytes", settings.logRetentionBytes);
        // The cleaner allocates its dedupe buffer up front (128 MiB by default); 16 MiB still maps ~600k keys a pass.
        props.put("log.cleaner.dedupe.buffer.size", 16L * 1024 * 1024);
        props.put("server.max.startup.time.ms", settings.startupTimeout.toMillis());
        props.putAll(settings.brokerProperties);
        Properties properties = new Properties();
        props.forEach((key, value) -> properties.put(key, String.valueOf(value)));
        return properties;
    }

    /** Fatal faults are logged, not answered with Runtime.halt as KafkaRaftServer does: the JVM is not the broker's. */
    private static FaultHandlerFactory loggingFaultHandlers() {
        return (name, fatal, action) -> new LoggingFaultHandler(fatal ? "fatal " + name : name, action);
    }

    private Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + port);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-broker-admin");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.operationTimeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.operationTimeout.toMillis());
        return props;
    }

    private void awaitBrokerInCluster(long deadline) throws Exception {
        int timeoutMs = (int) remainingMillis(deadline);
        Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                .nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
        if (nodes.stream().noneMatch(node -> node.id() == NODE_ID)) {
            throw new IllegalStateException("The cluster does not list broker " + NODE_ID + ": " + nodes);
        }
    }

    private static String innermostMessage(Throwable failure) {
        String message = failure.toString();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            }
        }
        return message;
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private void closeQuietly(Throwable cause) {
        try {
            close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void requireRunning() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The embedded Kafka broker is not running (" + state + ")");
        }
    }

    /** Settings of an {@link EmbeddedKafkaBroker}; one builder can build several brokers, e.g. to restart on a directory. */
    public static final class Builder {

        private int port = 0;
        private Path dataDirectory;
        private int defaultPartitions = 1;
        private boolean autoCreateTopics = false;
        private Duration logRetention = Duration.ofDays(7);
        private long logRetentionBytes = 256L * 1024 * 1024;
        private Duration startupTimeout = Duration.ofSeconds(60);
        private Duration operationTimeout = Duration.ofSeconds(30);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private final Map<String, Object> brokerProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The client listener's port on 127.0.0.1; 0 (the default) picks a free one when the broker starts. */
        public Builder port(int value) {
            if (value < 0 || value > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + value);
            }
            port = value;
            return this;
        }

        /**
         * Where topics and metadata live; created and formatted on first use, kept on close. Without one, a
         * temporary directory is used and deleted on close.
         */
        public Builder dataDirectory(Path value) {
            dataDirectory = Objects.requireNonNull(value, "dataDirectory");
            return this;
        }

        /** Partitions of a topic created without a count ({@code num.partitions}); 1 by default. */
        public Builder defaultPartitions(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("defaultPartitions must be at least 1, was " + value);
            }
            defaultPartitions = value;
            return this;
        }

        /** Off by default, so a misspelt topic name fails instead of quietly creating a topic. */
        public Builder autoCreateTopics(boolean value) {
            autoCreateTopics = value;
            return this;
        }

        /** How long records of delete-policy topics are kept; 7 days by default. Compacted topics keep latest values. */
        public Builder logRetention(Duration value) {
            logRetention = requirePositive(value, "logRetention");
            return this;
        }

        /** Per-partition size cap for delete-policy topics (-1 for none); 256 MiB by default, to bound local disk use. */
        public Builder logRetentionBytes(long value) {
            logRetentionBytes = value;
            return this;
        }

        /** Upper bound for {@link EmbeddedKafkaBroker#start()}; 60 s by default. */
        public Builder startupTimeout(Duration value) {
            startupTimeout = requirePositive(value, "startupTimeout");
            return this;
        }

        /** Upper bound for admin operations such as creating topics; 30 s by default. */
        public Builder operationTimeout(Duration value) {
            operationTimeout = requirePositive(value, "operationTimeout");
            return this;
        }

        /** Upper bound for the broker's controlled shutdown on close; 30 s by default. */
        public Builder shutdownTimeout(Duration value) {
            shutdownTimeout = requirePositive(value, "shutdownTimeout");
            return this;
        }

        /** Any other broker setting, applied last so it can override the ones above. */
        public Builder brokerProperty(String name, Object value) {
            brokerProperties.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        /** Builds and starts a broker. */
        public EmbeddedKafkaBroker start() {
            return build().start();
        }

        private Builder copy() {
            Builder copy = new Builder();
            copy.port = port;
            copy.dataDirectory = dataDirectory;
            copy.defaultPartitions = defaultPartitions;
            copy.autoCreateTopics = autoCreateTopics;
            copy.logRetention = logRetention;
            copy.logRetentionBytes = logRetentionBytes;
            copy.startupTimeout = startupTimeout;
            copy.operationTimeout = operationTimeout;
            copy.shutdownTimeout = shutdownTimeout;
            copy.brokerProperties.putAll(brokerProperties);
            return copy;
        }

        private static Duration requirePositive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
