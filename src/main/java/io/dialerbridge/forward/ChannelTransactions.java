package io.dialerbridge.forward;

import io.dialerbridge.command.DialerCommand;
import io.dialerbridge.deadletter.DeadLetter;
import io.dialerbridge.kafka.DialerTopics;
import io.dialerbridge.kafka.KafkaClientSettings;
import io.dialerbridge.replay.ReplayCheckpoints;
import io.dialerbridge.salesforce.stream.SalesforceEvent;
import io.dialerbridge.salesforce.stream.SalesforceStreamConsumer;
import io.dialerbridge.salesforce.stream.StreamPositions;
import io.dialerbridge.command.CommandType;
import io.dialerbridge.suppression.RowsInFlightTimeoutException;
import io.dialerbridge.suppression.Screened;
import io.dialerbridge.suppression.SuppressionGuard;
import io.micrometer.core.instrument.Metrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.apache.camel.Body;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.component.salesforce.SalesforceConstants;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward flow's writer of each channel's Kafka transactions.
 *
 * <p>What a channel sends (its events' commands and suppression rows, its dead letters, and its replay checkpoint)
 * goes through a transactional producer of its own, so that a {@code read_committed} reader sees it in Salesforce
 * order, each once, however long Kafka is away.
 *
 * <p>Each channel's producer has the stable {@code transactional.id} {@code <prefix>-<channel>}: a bridge that starts
 * fences any earlier producer of the channel (KIP-98), and what a paused or crashed one left open is aborted — before
 * the state is read ({@link #initialise}), so that read sees every committed row.
 * Events are grouped: a transaction is committed when it holds {@code max-events} events, when it has been open
 * {@code max-open-ms}, or as soon as no more events of the channel wait. Its last event's replay id is written to the
 * checkpoint topic in the same transaction, so the checkpoint only ever covers committed events.
 *
 * <p>When a send or the commit fails, the transaction is aborted, its events' screens are taken back
 * ({@link SuppressionGuard#undo}), and after a capped back-off the events are screened again — against the guard as
 * it is then — and sent again, in their order, in a new transaction; the channel's later events wait meanwhile (the
 * calling thread holds the channel). Nothing can expire and be resent behind later records. An event whose records
 * Kafka refuses for good (too large, not serialisable) is dead-lettered in its place instead, all but its suppresses,
 * which still go out, with their suppression rows, right before the dead letter.
 *
 * <p>Two channels' producers are not ordered with each other: an event whose screen changes a suppression or
 * person-numbers row another channel still has in flight (screened, not yet answered by Kafka) waits for it and is
 * screened again, so rows and commands of one key land in the order they were screened (docs/dnc.md).
 *
 * <p>camel-kafka's own transactions are not used: its producer opens one transaction per exchange on one shared
 * producer and commits it when the exchange completes, so several events cannot share a transaction, and an aborted
 * one cannot be screened again and resent ahead of the events behind it.
 */
public class ChannelTransactions implements StreamPositions, AutoCloseable {

    /** The name (and transactional id suffix) of the DO_NOT_CALL dispositions' own transactions. */
    public static final String DISPOSITIONS = "dispositions-suppress";

    private static final Logger LOG = LoggerFactory.getLogger(ChannelTransactions.class);
    /** A channel whose awaited events have not come for this long has caught up (for its replay lag). */
    private static final Duration QUIET = Duration.ofSeconds(5);

    /**
     * @param transactionalIdPrefix the channel is appended: {@code <prefix>-<channel>}
     * @param maxEvents events after which a transaction is committed
     * @param maxOpen how long a transaction may stay open while more events keep coming
     * @param firstRetryDelay first wait after a failed transaction; doubles up to {@code maxRetryDelay}
     */
    public record Settings(String transactionalIdPrefix, int maxEvents, Duration maxOpen, Duration firstRetryDelay,
            Duration maxRetryDelay, int lingerMs, String instanceId) {

        public Settings(String transactionalIdPrefix, int maxEvents, Duration maxOpen, Duration firstRetryDelay,
                Duration maxRetryDelay, int lingerMs) {
            this(transactionalIdPrefix, maxEvents, maxOpen, firstRetryDelay, maxRetryDelay, lingerMs, "local");
        }

        /**
         * The transactional id of a channel. Without leader election (instance id set) the dispositions' is per
         * instance ({@code <prefix>-dispositions-suppress-<instance>}): every replica consumes its own share of the
         * dispositions partitions, so one replica's start must not fence another's; what they write is idempotent by
         * ce_id. With leader election (instance id null) only the leader writes them, under {@code
         * <prefix>-dispositions-suppress}, so a new leader fences the old one's as it does the streams'.
         */
        String transactionalIdOf(String channel) {
            String id = transactionalIdPrefix + "-" + channel;
            return DISPOSITIONS.equals(channel) && instanceId != null ? id + "-" + instanceId : id;
        }
    }

    /** Opens a producer with the given settings; the Kafka client itself, unless a test wraps it. */
    @FunctionalInterface
    public interface ProducerFactory {
        Producer<String, String> open(Properties settings);
    }

    private final KafkaClientSettings kafka;
    private final DialerTopics topics;
    private final OutboundRecords outbound;
    private final SuppressionGuard guard;
    private final ReplayCheckpoints checkpoints;
    private final EventDeadLetters deadLetters;
    private final CamelContext camel;
    private final Settings settings;
    private final ProducerFactory producers;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    /** Told the channel's name when another writer fenced it; null: the channel's route is stopped instead. */
    private volatile java.util.function.Consumer<String> fencedListener;
    /** Commits transactions left open while their channel's thread is busy elsewhere (a slow Salesforce call). */
    private final ScheduledExecutorService ticker;

    public ChannelTransactions(KafkaClientSettings kafka, DialerTopics topics, OutboundRecords outbound,
            SuppressionGuard guard, ReplayCheckpoints checkpoints, EventDeadLetters deadLetters, CamelContext camel,
            Settings settings, ProducerFactory producers) {
        this.kafka = kafka;
        this.topics = topics;
        this.outbound = outbound;
        this.guard = guard;
        this.checkpoints = checkpoints;
        this.deadLetters = deadLetters;
        this.camel = camel;
        this.settings = settings;
        this.producers = producers;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "channel-transactions-ticker");
            thread.setDaemon(true);
            return thread;
        });
        long tick = Math.max(1, settings.maxOpen().toMillis());
        ticker.scheduleWithFixedDelay(this::commitLongOpen, tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Route step of the stream flow: screens the event's commands and sends what may leave, with its suppression
     * rows, in the channel's open transaction; commits it when it is due. Returns once the records are handed to the
     * producer (and, when due, committed).
     */
    public void publish(@Body List<DialerCommand> commands, Exchange exchange) throws InterruptedException {
        Channel channel = channelOf(exchange);
        Long replayId = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID, Long.class);
        SalesforceEvent event = exchange.getProperty(SalesforceStreamConsumer.ORIGINAL_EVENT, SalesforceEvent.class);
        String route = exchange.getFromRouteId();
        Pending pending = new Pending(List.copyOf(commands), replayId,
                failure -> deadLetters.refused(topics.getDeadLetter(), event, channel.name, replayId, route, failure));
        pending.time = commands.stream().map(DialerCommand::time).max(Instant::compareTo).orElse(null);
        pending.position = exchange.getMessage().getHeader(SalesforceStreamConsumer.REPLAY_POSITION, String.class);
        channel.add(pending, backlogOf(exchange), route);
    }

    /**
     * Route step of {@code dead-letter-event}, after {@code deadLetters.prepare}: the dead letter goes out in the
     * channel's transaction, in its place among the channel's events, and moves the checkpoint past the event.
     */
    public void deadLetter(Exchange exchange) throws InterruptedException {
        Message message = exchange.getMessage();
        String channelName = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_CHANNEL, String.class);
        Long replayId = message.getHeader(SalesforceConstants.HEADER_SALESFORCE_REPLAY_ID, Long.class);
        ProducerRecord<String, String> record = new ProducerRecord<>(topics.getDeadLetter(), channelName,
                message.getBody(String.class));
        DeadLetter.from(message).addTo(record.headers());
        Channel channel = channelNamed(channelName == null ? "unknown" : channelName);
        // A dead letter's time is not known here: the lag counts from the event before it.
        Pending pending = Pending.deadLetter(record, replayId);
        pending.position = message.getHeader(SalesforceStreamConsumer.REPLAY_POSITION, String.class);
        channel.add(pending, backlogOf(exchange), exchange.getFromRouteId());
    }

    /**
     * Route step of {@code dispositions-suppress}: screens a batch's suppress commands and sends them, with their
     * suppression rows, in one transaction of the dispositions' own producer, with the batch's consumer offsets
     * ({@link ConsumedOffsets}) when the route gives them; returns once it is committed.
     */
    public void publishDispositionSuppressions(@Body List<DialerCommand> commands, Exchange exchange)
            throws InterruptedException {
        Pending pending = new Pending(List.copyOf(commands), null, failure -> null);
        pending.consumed = exchange.getProperty(ConsumedOffsets.PROPERTY, ConsumedOffsets.class);
        channelNamed(DISPOSITIONS).add(pending, 0, exchange.getFromRouteId());
    }

    /**
     * The channel (re)subscribes: whatever it left in an open transaction is committed, or aborted when Kafka does not
     * take it now (the checkpoint is then behind those events, and Salesforce sends them again), so the checkpoint it
     * resumes after tells the truth.
     */
    @Override
    public OptionalLong resumeAfter(String channelName) {
        Channel channel = channels.get(channelName);
        if (channel != null) {
            channel.settle();
        } else {
            // Its meters are on the scrape from the subscription on, before the first event.
            channelNamed(channelName);
        }
        return checkpoints.resumeAfter(channelName);
    }

    /**
     * Start-up step, before the state is read: initialises the producer of each of these channels and of the
     * dispositions, so Kafka fences whatever a crashed predecessor left open under their transactional ids and aborts
     * it. A {@code read_committed} load then reads to the end of every partition, instead of stopping at a hanging
     * transaction and missing the rows committed behind it. The channels keep these producers.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when Kafka does not answer (the start tries again)
     */
    public void initialise(Collection<String> channelNames) {
        List<String> names = new ArrayList<>(channelNames);
        names.add(DISPOSITIONS);
        for (String name : names) {
            channelNamed(name).initialise();
        }
    }

    /**
     * Leadership step, before any leader-only route starts: each of these channels and the dispositions get a new
     * producer whose {@code initTransactions()} fences the previous leader's (a paused one writes nothing a {@code
     * read_committed} reader sees when it resumes) and aborts what it left open. What this bridge itself had open
     * from an earlier leadership is given up first: its events come again from Salesforce.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException when Kafka does not answer (the takeover tries again)
     */
    public void takeOver(Collection<String> channelNames) {
        List<String> names = new ArrayList<>(channelNames);
        names.add(DISPOSITIONS);
        for (String name : names) {
            channelNamed(name).takeOver();
        }
    }

    /**
     * With leader election: when another writer fences a channel, {@code listener} is told its name (and gives up
     * leadership, which stops every leader-only route), instead of this channel stopping its own route.
     */
    public void onFenced(java.util.function.Consumer<String> listener) {
        this.fencedListener = listener;
    }

    /**
     * The channel (re)subscribes over Pub/Sub: settles as {@link #resumeAfter} does, then names the opaque replay id
     * its checkpoint stored, or, for a checkpoint a CometD subscription wrote, its replay id as 8 big-endian bytes.
     */
    @Override
    public Optional<byte[]> resumePositionAfter(String channelName) {
        OptionalLong replayId = resumeAfter(channelName);
        Optional<byte[]> position = checkpoints.positionOf(channelName);
        return position.isPresent() ? position
                : replayId.isPresent() ? Optional.of(StreamPositions.bytesOf(replayId.getAsLong())) : Optional.empty();
    }

    @Override
    public void fellBack(String channel, long refusedReplayId, long fallbackReplayId) {
        checkpoints.fellBack(channel, refusedReplayId, fallbackReplayId);
    }

    /** Commits what is open (or aborts it when Kafka does not take it within the client's timeouts), then closes. */
    @Override
    public void close() {
        closing.countDown();
        ticker.shutdownNow();
        for (Channel channel : channels.values()) {
            channel.settle();
            channel.closeProducer(Duration.ofSeconds(10));
        }
    }

    private Channel channelOf(Exchange exchange) {
        String name = exchange.getMessage().getHeader(SalesforceConstants.HEADER_SALESFORCE_CHANNEL, String.class);
        if (name == null) {
            throw new IllegalArgumentException("The exchange names no Salesforce channel");
        }
        return channelNamed(name);
    }

    private Channel channelNamed(String name) {
        return channels.computeIfAbsent(name, Channel::new);
    }

    private static int backlogOf(Exchange exchange) {
        Integer backlog = exchange.getProperty(SalesforceStreamConsumer.BACKLOG, Integer.class);
        return backlog == null ? 0 : backlog;
    }

    private void commitLongOpen() {
        for (Channel channel : channels.values()) {
            try {
                channel.commitIfLongOpen();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Could not commit the open transaction of {}: {}", channel.name, e.toString());
            }
        }
    }

    /** Kafka refuses these records whatever happens: the event is dead-lettered instead of retried. */
    private static boolean refusedForGood(Throwable failure) {
        return failure instanceof RecordTooLargeException || failure instanceof RecordBatchTooLargeException
                || failure instanceof SerializationException || failure instanceof InvalidTopicException;
    }

    /**
     * Another producer with the channel's transactional id took over (or Kafka aborted the transaction at its
     * timeout and bumped the epoch, which {@code Channel#outlivedItsTimeout} tells apart): this one must not write.
     */
    private static boolean fenced(Throwable failure) {
        return failure instanceof ProducerFencedException || failure instanceof InvalidProducerEpochException;
    }

    /** The producer cannot be used again (KafkaProducer's fatal errors): it is closed and a new one opened. */
    private static boolean fatal(Throwable failure) {
        return failure instanceof AuthorizationException || failure instanceof UnsupportedVersionException
                || failure instanceof OutOfOrderSequenceException;
    }

    /** One event's part of a transaction: its commands as mapped, and what the latest screen let out of them. */
    private static final class Pending {
        final List<DialerCommand> commands;
        final Long replayId;
        final Function<Exception, ProducerRecord<String, String>> refused;
        /** The newest Salesforce time of the event's commands ({@code ce_time}), when known. */
        Instant time;
        /** The event's opaque Pub/Sub replay id (base64), stored with the checkpoint; null for CometD events. */
        String position;
        /** The consumer offsets that commit with the event's records (dispositions), or null. */
        ConsumedOffsets consumed;
        /** Whether these are the suppresses alone of an event whose other records Kafka refused for good. */
        boolean suppressesOnly;
        /** Set when the event ends as a dead letter; then it has no commands to screen. */
        ProducerRecord<String, String> deadLetter;
        Screened screened;
        SuppressionGuard.Undo undo;
        List<ProducerRecord<String, String>> records = List.of();

        Pending(List<DialerCommand> commands, Long replayId,
                Function<Exception, ProducerRecord<String, String>> refused) {
            this.commands = commands;
            this.replayId = replayId;
            this.refused = refused;
        }

        static Pending deadLetter(ProducerRecord<String, String> record, Long replayId) {
            Pending pending = new Pending(List.of(), replayId, failure -> null);
            pending.deadLetter = record;
            pending.records = List.of(record);
            return pending;
        }
    }

    /** The first failure of a transaction attempt, and which of its events' records it concerned (-1: none). */
    private record Failure(int event, Exception error) {
    }

    /** One channel's producer and open transaction; one thread at a time works on it. */
    private final class Channel {
        final String name;
        final String transactionalId;
        final ReentrantLock lock = new ReentrantLock();
        final List<Pending> pending = new ArrayList<>();
        Producer<String, String> producer;
        boolean initialised;
        boolean inTransaction;
        long openedAt;
        boolean fenced;
        String route;
        Duration retryDelay;
        /** The producer's transaction.timeout.ms, after which Kafka aborts an open transaction itself. */
        long transactionTimeoutMs = 60_000;
        /** Counts transactions begun, so a callback of an aborted one cannot fail the next. */
        volatile int attempt;
        /** Written by producer callbacks (the client's I/O thread), read under the lock. */
        volatile Failure failure;
        /** When an event last joined the channel's transaction (System.nanoTime). */
        volatile long lastAdded = System.nanoTime();
        /** Whether the channel's last event found others waiting behind it. */
        volatile boolean behind;

        /** How long a transaction takes from its flush to its commit, i.e. Kafka's publish latency for the channel. */
        final io.micrometer.core.instrument.Timer commits;

        Channel(String name) {
            this.name = name;
            this.commits = io.micrometer.core.instrument.Timer.builder("dialer.kafka.transaction.commit")
                    .tag("channel", name)
                    .description("Time from a transaction's flush to its commit (Kafka's publish latency)")
                    .register(Metrics.globalRegistry);
            Metrics.counter("dialer.kafka.transactions.aborted", "channel", name);
            this.transactionalId = settings.transactionalIdOf(name);
            this.retryDelay = settings.firstRetryDelay();
        }

        /** Adds an event to the open transaction (opening one when needed) and commits when it is due. */
        void add(Pending event, int backlog, String fromRoute) throws InterruptedException {
            lock.lockInterruptibly();
            try {
                if (fromRoute != null) {
                    route = fromRoute;
                }
                if (fenced) {
                    throw new ChannelUnavailableException(name + " is written by another bridge (fenced)", null);
                }
                lastAdded = System.nanoTime();
                behind = backlog > 0;
                if (event.replayId != null && event.replayId >= 0) {
                    checkpoints.receiving(name, event.time);
                }
                try {
                    open();
                    if (event.deadLetter == null) {
                        screen(event);
                    }
                    pending.add(event);
                    send(pending.size() - 1);
                    if (failure != null || backlog == 0 || pending.size() >= settings.maxEvents()
                            || System.nanoTime() - openedAt >= settings.maxOpen().toNanos()) {
                        commit(true);
                    }
                    if (backlog == 0 && pending.isEmpty()) {
                        checkpoints.caughtUp(name);
                    }
                } catch (InterruptedException | ChannelUnavailableException e) {
                    giveUp(e);
                    throw e;
                } catch (RuntimeException e) {
                    if (!pending.contains(event)) {
                        // The event never joined the transaction (its records could not be built): the route
                        // dead-letters it, and the events before it stay.
                        throw e;
                    }
                    giveUp(e);
                    throw new ChannelUnavailableException("Could not write " + name + ": " + e, e);
                }
            } finally {
                lock.unlock();
            }
        }

        void commitIfLongOpen() throws InterruptedException {
            if (!lock.tryLock()) {
                return;
            }
            try {
                if (!pending.isEmpty() && System.nanoTime() - openedAt >= settings.maxOpen().toNanos()) {
                    commit(true);
                } else if (pending.isEmpty() && behind && System.nanoTime() - lastAdded >= QUIET.toNanos()) {
                    // The events the last one found behind it never came (the route filtered them out).
                    behind = false;
                    checkpoints.caughtUp(name);
                }
            } catch (RuntimeException | InterruptedException e) {
                giveUp(e);
                throw e;
            } finally {
                lock.unlock();
            }
        }

        /** Commits what is open without retrying; aborts it when that fails. */
        void settle() {
            lock.lock();
            try {
                fenced = false;
                if (!pending.isEmpty() || inTransaction) {
                    commit(false);
                }
            } catch (RuntimeException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.warn("Aborted the open transaction of {} ({} events; they come again from Salesforce): {}", name,
                        pending.size(), e.toString());
                giveUp(e);
            } finally {
                lock.unlock();
            }
        }

        /** A producer whose transactions are initialised; a failure is thrown (the start tries again). */
        void initialise() {
            lock.lock();
            try {
                if (producer == null) {
                    producer = producers.open(producerSettings());
                    initialised = false;
                }
                if (!initialised) {
                    producer.initTransactions();
                    initialised = true;
                    LOG.info("Initialised the transactions of {} (transactional id {})", name, transactionalId);
                }
            } catch (TimeoutException away) {
                // The producer may try initTransactions again.
                throw away;
            } catch (KafkaException e) {
                closeProducer(Duration.ZERO);
                throw e;
            } finally {
                lock.unlock();
            }
        }

        /** A new producer, initialised: what the old one had open is given up, and any other writer fenced. */
        void takeOver() {
            lock.lock();
            try {
                giveUp(new IllegalStateException("leadership taken over"));
                closeProducer(Duration.ZERO);
                fenced = false;
                initialise();
            } finally {
                lock.unlock();
            }
        }

        /** A producer with a transaction begun, waiting out a Kafka that is away. */
        private void open() throws InterruptedException {
            while (!inTransaction) {
                try {
                    if (producer == null) {
                        producer = producers.open(producerSettings());
                        initialised = false;
                    }
                    if (!initialised) {
                        // Fences an earlier producer of the channel and aborts what it left open.
                        producer.initTransactions();
                        initialised = true;
                    }
                    producer.beginTransaction();
                    attempt++;
                    inTransaction = true;
                    openedAt = System.nanoTime();
                    failure = null;
                } catch (TimeoutException away) {
                    LOG.warn("Kafka is not answering the transactions of {}: {}", name, away.getMessage());
                    backOff(true);
                } catch (KafkaException e) {
                    if (fenced(e)) {
                        throw fencedOff(e);
                    }
                    LOG.warn("Could not open a transaction for {}: {}", name, e.toString());
                    closeProducer(Duration.ZERO);
                    backOff(true);
                }
            }
        }

        private Properties producerSettings() {
            Properties properties = kafka.producer();
            properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(settings.lingerMs()));
            properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            properties.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
            transactionTimeoutMs = Long.parseLong(String.valueOf(
                    properties.getOrDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "60000")));
            return properties;
        }

        /**
         * Screens the event's commands now and builds its records; a failure takes the screen back. When another
         * channel's rows of a key it changes are still on their way to Kafka, waits for them and screens again, so
         * its rows land after theirs (two producers are not ordered with each other).
         */
        private void screen(Pending event) throws InterruptedException {
            SuppressionGuard.Undo undo = new SuppressionGuard.Undo(this);
            Screened screened = guard.screenUndoably(event.commands, undo);
            while (screened == null) {
                if (!pending.isEmpty()) {
                    // The other channel may be waiting for this one's lifts to commit: commit them before waiting.
                    commit(true);
                    open();
                }
                awaitLanded(undo);
                screened = guard.screenUndoably(event.commands, undo);
            }
            build(event, screened, undo);
        }

        /**
         * Waits for another channel's rows in flight. One that does not land within the guard's limit fails the
         * channel's open transaction: its screens are taken back and its events, left unacknowledged, come again from
         * Salesforce in order; nothing is dropped and nothing behind them goes first.
         */
        private void awaitLanded(SuppressionGuard.Undo undo) throws InterruptedException {
            try {
                guard.awaitLanded(undo);
            } catch (RowsInFlightTimeoutException stuck) {
                throw new ChannelUnavailableException(stuck.getMessage(), stuck);
            }
        }

        private void build(Pending event, Screened screened, SuppressionGuard.Undo undo) {
            try {
                event.records = outbound.records(screened);
            } catch (RuntimeException notBuilt) {
                guard.undo(undo);
                throw notBuilt;
            }
            event.screened = screened;
            event.undo = undo;
        }

        /**
         * Sends the event's records; once Kafka has answered for all of them, its rows are no longer in flight for the
         * guard (placed in the log, or failed and aborted with the transaction). Records not handed to the producer
         * never answer: the undo of the event's screen clears its rows then.
         */
        private void send(int index) {
            int current = attempt;
            Pending event = pending.get(index);
            SuppressionGuard.Undo undo = event.undo;
            AtomicInteger unanswered = new AtomicInteger(event.records.size());
            for (ProducerRecord<String, String> record : event.records) {
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            failed(current, index, error);
                        }
                        if (unanswered.decrementAndGet() == 0 && undo != null) {
                            guard.landed(undo);
                        }
                    });
                } catch (KafkaException | IllegalStateException refused) {
                    failed(current, index, refused);
                    return;
                }
            }
        }

        private synchronized void failed(int ofAttempt, int event, Exception error) {
            if (failure == null && ofAttempt == attempt) {
                failure = new Failure(event, error);
            }
        }

        /**
         * Commits the open transaction; on failure aborts it and, when {@code retry}, sends its events again in a new
         * one until Kafka takes them.
         */
        private void commit(boolean retry) throws InterruptedException {
            while (true) {
                if (failure == null) {
                    Long replayId = lastReplayId();
                    if (replayId != null) {
                        ProducerRecord<String, String> checkpoint = new ProducerRecord<>(
                                topics.getReplayCheckpoints(), name, checkpoints.value(name, replayId, lastTime(), lastPosition()));
                        int current = attempt;
                        try {
                            producer.send(checkpoint, (metadata, error) -> {
                                if (error != null) {
                                    failed(current, -1, error);
                                }
                            });
                        } catch (KafkaException | IllegalStateException refused) {
                            failed(current, -1, refused);
                        }
                    }
                }
                if (failure == null) {
                    long flushed = System.nanoTime();
                    try {
                        if (retry) {
                            // Every send's callback has run after the flush, so a failure names its event. While
                            // Kafka is away the flush waits (the thread is interrupted when the route stops); a
                            // settle does without it, its commit bounded by max.block.ms.
                            producer.flush();
                        }
                        if (failure == null) {
                            // After the flush, so a producer another writer fenced is known as such by now: the
                            // offsets' request would wait out max.block.ms on it.
                            sendConsumedOffsets();
                        }
                        if (failure == null) {
                            commitWaitingOutTimeouts(retry);
                            commits.record(System.nanoTime() - flushed, TimeUnit.NANOSECONDS);
                            committed();
                            return;
                        }
                    } catch (KafkaException e) {
                        failed(attempt, -1, e);
                    }
                }
                Failure failed = failure;
                if (fenced(failed.error()) || fenced(failed.error().getCause())) {
                    if (!outlivedItsTimeout()) {
                        throw fencedOff(failed.error());
                    }
                    // Kafka aborted the transaction itself, at transaction.timeout.ms (a long outage), and bumped the
                    // producer's epoch: no other bridge is involved, so a new producer takes the channel up again.
                    LOG.warn("Kafka aborted the transaction of {} after its timeout; opening the channel's producer"
                            + " again", name);
                    closeProducer(Duration.ZERO);
                }
                LOG.warn("Kafka did not take the transaction of {} ({} events): {}; aborting it{}", name,
                        pending.size(), failed.error().toString(), retry ? " and sending them again" : "");
                Metrics.counter("dialer.kafka.transactions.aborted", "channel", name).increment();
                if (abort(failed.error()) && !outlivedItsTimeout()) {
                    throw fencedOff(failed.error());
                }
                if (failed.event() >= 0 && refusedForGood(failed.error())) {
                    replaceByDeadLetter(failed.event(), failed.error());
                }
                if (!retry) {
                    throw new ChannelUnavailableException("Kafka did not take the transaction of " + name,
                            failed.error());
                }
                backOff(true);
                open();
                resend();
            }
        }

        /** Adds the consumer offsets of the transaction's events to it, the newest per partition. */
        private void sendConsumedOffsets() {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = new LinkedHashMap<>();
            for (Pending event : pending) {
                if (event.consumed != null) {
                    byGroup.computeIfAbsent(event.consumed.groupId(), group -> new LinkedHashMap<>())
                            .putAll(event.consumed.offsets());
                }
            }
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> group : byGroup.entrySet()) {
                try {
                    producer.sendOffsetsToTransaction(group.getValue(), new ConsumerGroupMetadata(group.getKey()));
                } catch (KafkaException | IllegalStateException refused) {
                    failed(attempt, -1, refused);
                    return;
                }
            }
        }

        /** Whether the open transaction has been open longer than Kafka keeps a transaction before aborting it. */
        private boolean outlivedItsTimeout() {
            return System.nanoTime() - openedAt >= TimeUnit.MILLISECONDS.toNanos(transactionTimeoutMs);
        }

        /** commitTransaction may time out while Kafka is away, and may then be called again (it never aborts). */
        private void commitWaitingOutTimeouts(boolean retry) throws InterruptedException {
            while (true) {
                try {
                    producer.commitTransaction();
                    return;
                } catch (TimeoutException away) {
                    LOG.warn("Kafka has not confirmed the commit of {} yet: {}", name, away.getMessage());
                    backOff(retry);
                }
            }
        }

        private void committed() {
            Long replayId = lastReplayId();
            if (replayId != null) {
                checkpoints.committed(name, replayId, lastPosition(), lastTime(), pending.size());
            }
            for (Pending event : pending) {
                if (event.screened != null && event.deadLetter == null) {
                    outbound.published(event.screened);
                }
            }
            // The lifts of the transaction's screens are committed now: other channels screen against them from here.
            guard.committed(this);
            pending.clear();
            inTransaction = false;
            retryDelay = settings.firstRetryDelay();
        }

        /**
         * The replay id the transaction's checkpoint covers: its last event's. A negative id is the consumer's own
         * resync request, which Salesforce knows nothing of: it never becomes the checkpoint.
         */
        private Long lastReplayId() {
            Pending last = lastCheckpointed();
            return last == null ? null : last.replayId;
        }

        /** The opaque Pub/Sub replay id of the event {@link #lastReplayId} names, when it came over Pub/Sub. */
        private String lastPosition() {
            Pending last = lastCheckpointed();
            return last == null ? null : last.position;
        }

        private Pending lastCheckpointed() {
            for (int i = pending.size() - 1; i >= 0; i--) {
                Long replayId = pending.get(i).replayId;
                if (replayId != null && replayId >= 0) {
                    return pending.get(i);
                }
            }
            return null;
        }

        /** The newest Salesforce time among the transaction's events, when any is known. */
        private Instant lastTime() {
            Instant newest = null;
            for (Pending event : pending) {
                if (event.time != null && (newest == null || event.time.isAfter(newest))) {
                    newest = event.time;
                }
            }
            return newest;
        }

        /**
         * Aborts the transaction; a producer that cannot abort now is closed, and the next one's init aborts it.
         * Returns whether Kafka said, in answer, that the producer has been fenced.
         */
        private boolean abort(Exception cause) {
            inTransaction = false;
            if (producer == null) {
                return false;
            }
            if (fatal(cause) || fatal(cause.getCause())) {
                closeProducer(Duration.ZERO);
                return false;
            }
            try {
                producer.abortTransaction();
                return false;
            } catch (KafkaException e) {
                LOG.debug("Could not abort the transaction of {} now ({}); a new producer will", name, e.toString());
                closeProducer(Duration.ZERO);
                return fenced(e) || fenced(e.getCause());
            }
        }

        /**
         * The event's records are refused for good. Its suppresses still take effect: they go out on their own (with
         * their suppression rows, screened again with the others), and right after them its dead letter, with the
         * reason, in place of the rest. When it holds nothing but suppresses, or those alone are refused again, the
         * dead letter (or nothing, when it has none or the dead letter itself was refused) takes its place. Its screen
         * is taken back with the others when they are resent, newest first, so a row a later event of the transaction
         * changed too gets its value from before the transaction. Returns whether the event's place now holds
         * commands to screen again.
         */
        private boolean replaceByDeadLetter(int index, Exception error) {
            Pending event = pending.get(index);
            List<DialerCommand> suppresses = event.deadLetter != null || event.suppressesOnly ? List.of()
                    : event.commands.stream().filter(command -> command.type() == CommandType.CONTACT_SUPPRESS)
                    .toList();
            if (suppresses.size() == event.commands.size()) {
                suppresses = List.of();
            }
            ProducerRecord<String, String> record = event.deadLetter != null ? null : event.refused.apply(error);
            Pending replacement;
            Pending deadLetter = null;
            if (!suppresses.isEmpty()) {
                LOG.error("Kafka refused the records of {} event {} for good: its {} suppress(es) go out alone, the"
                        + " rest {}: {}", name, event.replayId, suppresses.size(),
                        record == null ? "is dropped" : "is dead-lettered", error.toString());
                replacement = new Pending(suppresses, event.replayId, failure -> null);
                replacement.suppressesOnly = true;
                if (record != null) {
                    deadLetter = Pending.deadLetter(record, event.replayId);
                    deadLetter.time = event.time;
                    deadLetter.position = event.position;
                }
            } else if (record == null) {
                LOG.error("Kafka refused the records of {} event {} for good; they are dropped{}: {}", name,
                        event.replayId, event.suppressesOnly ? ", its suppressions with them" : "", error.toString());
                replacement = new Pending(List.of(), event.replayId, failure -> null);
            } else {
                replacement = Pending.deadLetter(record, event.replayId);
            }
            replacement.undo = event.undo;
            replacement.time = event.time;
            replacement.position = event.position;
            pending.set(index, replacement);
            if (deadLetter != null) {
                pending.add(index + 1, deadLetter);
            }
            return !replacement.commands.isEmpty();
        }

        /**
         * The aborted events, screened again and sent in order: their earlier screens are taken back and the new
         * ones made with no other screen in between, so each command meets the guard as it is now.
         */
        private void resend() throws InterruptedException {
            while (true) {
                SuppressionGuard.Undo waiting = guard.atomically(() -> {
                    takeBackScreens();
                    for (int i = 0; i < pending.size(); i++) {
                        Pending event = pending.get(i);
                        if (event.deadLetter == null) {
                            SuppressionGuard.Undo undo = new SuppressionGuard.Undo(this);
                            Screened screened = guard.screenUndoably(event.commands, undo);
                            if (screened == null) {
                                // Another channel has one of its rows in flight. The screens made so far are taken
                                // back before waiting, so that channel never waits for rows of ours while we wait.
                                takeBackScreens();
                                return undo;
                            }
                            try {
                                build(event, screened, undo);
                            } catch (RuntimeException notBuilt) {
                                if (replaceByDeadLetter(i, notBuilt)) {
                                    // Its suppresses took its place: they are screened next.
                                    i--;
                                }
                            }
                        }
                    }
                    return null;
                });
                if (waiting == null) {
                    break;
                }
                awaitLanded(waiting);
            }
            failure = null;
            for (int i = 0; i < pending.size(); i++) {
                send(i);
            }
        }

        /** The events' screens taken back, newest first. */
        private void takeBackScreens() {
            for (int i = pending.size() - 1; i >= 0; i--) {
                if (pending.get(i).undo != null) {
                    guard.undo(pending.get(i).undo);
                    pending.get(i).undo = null;
                }
            }
        }

        /** Nothing of the open transaction will reach Kafka: its screens are taken back and its events forgotten. */
        private void giveUp(Exception cause) {
            if (inTransaction && producer != null) {
                abort(cause);
            }
            inTransaction = false;
            for (int i = pending.size() - 1; i >= 0; i--) {
                if (pending.get(i).undo != null) {
                    guard.undo(pending.get(i).undo);
                }
            }
            pending.clear();
            failure = null;
        }

        private ChannelUnavailableException fencedOff(Exception cause) {
            if (DISPOSITIONS.equals(name) && settings.instanceId() != null) {
                // Only a process with this instance's id can fence it: a replica given the same dialer.instance-id,
                // or this instance's successor while this one was paused. Its dispositions route stops, so the
                // consumer group hands its partitions to the others instead of re-polling a batch it cannot write.
                LOG.error("Another bridge with instance id {} took over {} (transactional id {} fenced): this one stops"
                        + " route {}; give every replica its own dialer.instance-id", settings.instanceId(), name,
                        transactionalId, route);
            } else {
                LOG.error("Another bridge took over {} (transactional id {} fenced): this one stops writing it{}",
                        name, transactionalId, fencedListener != null ? " and gives up leadership" : "");
            }
            fenced = true;
            giveUp(cause);
            closeProducer(Duration.ZERO);
            java.util.function.Consumer<String> listener = fencedListener;
            if (listener != null) {
                Thread relinquish = new Thread(() -> listener.accept(name), "fenced " + name);
                relinquish.setDaemon(true);
                relinquish.start();
            } else if (route != null) {
                String stopped = route;
                Thread stopper = new Thread(() -> {
                    try {
                        camel.getRouteController().stopRoute(stopped);
                        if (DISPOSITIONS.equals(name)) {
                            // A route started again (by an operator) takes the id up again with a new producer.
                            lock.lock();
                            try {
                                fenced = false;
                            } finally {
                                lock.unlock();
                            }
                        }
                    } catch (Exception e) {
                        LOG.warn("Could not stop route {}: {}", stopped, e.toString());
                    }
                }, "stop " + stopped);
                stopper.setDaemon(true);
                stopper.start();
            }
            return new ChannelUnavailableException(name + " is written by another bridge (fenced)", cause);
        }

        private void backOff(boolean retry) throws InterruptedException {
            if (!retry) {
                throw new ChannelUnavailableException("Kafka is not answering " + name, null);
            }
            long delay = retryDelay.toMillis();
            retryDelay = retryDelay.multipliedBy(2).compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay()
                    : retryDelay.multipliedBy(2);
            if (closing.await(delay, TimeUnit.MILLISECONDS)) {
                throw new ChannelUnavailableException("The bridge is stopping", null);
            }
        }

        void closeProducer(Duration timeout) {
            if (producer != null) {
                try {
                    producer.close(timeout);
                } catch (RuntimeException e) {
                    LOG.debug("Closing the producer of {}: {}", name, e.toString());
                }
                producer = null;
                initialised = false;
                inTransaction = false;
            }
        }
    }
}
