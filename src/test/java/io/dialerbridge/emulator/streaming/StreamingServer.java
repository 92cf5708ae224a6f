package io.dialerbridge.emulator.streaming;

import io.dialerbridge.emulator.ApiTraffic;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.oauth.BearerToken;
import java.math.BigDecimal;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.ServerSessionImpl;
import org.cometd.server.http.AbstractHttpTransport;
import org.cometd.server.http.JSONHttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streaming API: a CometD 9 Bayeux server that speaks as Salesforce does (replay extension, its error strings,
 * its advice) and feeds every subscription from the {@link EventBus} in replay-id order.
 */
public final class StreamingServer {

    /** The org's channels as the Streaming API sees them. */
    public interface Channels {

        /** Whether a channel may be subscribed to (an active PushTopic, a defined event, an entity or generic channel). */
        boolean exists(String channel);

        /** The SELECT fields of the active PushTopic behind a {@code /topic/} channel, if there is one. */
        Optional<List<String>> pushTopicSelectFields(String channel);
    }

    private static final Logger LOG = LoggerFactory.getLogger(StreamingServer.class);
    private static final String BROWSER_COOKIE = "BAYEUX_BROWSER";
    private static final String CURSOR_KEY = "io.dialerbridge.emulator.cursor";
    private static final String API_VERSION_KEY = "io.dialerbridge.emulator.apiVersion";
    /** {@code /cometd/<version>}, or camel's {@code /cometd/replay/36.0}, then CometD's optional meta suffix. */
    private static final Pattern VERSIONED_PATH = Pattern.compile("^/cometd/(?:replay/)?(\\d+\\.\\d+)(?:/.*)?$");
    /** Salesforce refuses every CometD version below this one. */
    private static final BigDecimal OLDEST_VERSION = new BigDecimal("37.0");
    /** Platform events carry {@code EventUuid} from this CometD version on. */
    private static final BigDecimal EVENT_UUID_VERSION = new BigDecimal("52.0");
    /** The version Salesforce's errors name in their URI format hint: its newest. */
    private static final String NEWEST_VERSION = "66.0";
    /** CometD 9 clients refuse responses over 1 MiB; half of that leaves room for the connect reply and framing. */
    private static final int RESPONSE_BUDGET_BYTES = 512 * 1024;

    private final EmulatorSettings settings;
    private final EventBus bus;
    private final Predicate<String> tokenValid;
    private final Channels channels;
    private final ApiTraffic traffic;
    private final BayeuxServerImpl bayeux = new BayeuxServerImpl();
    private final Map<String, SessionFeed> feeds = new ConcurrentHashMap<>();
    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicLong refusedHandshakes = new AtomicLong();

    /**
     * @param tokenValid whether an access token is known, unexpired and not revoked
     * @param channels which channels may be subscribed to, and what a PushTopic selects (for filtered subscriptions)
     */
    public StreamingServer(EmulatorSettings settings, EventBus bus, Predicate<String> tokenValid,
            Channels channels, ApiTraffic traffic) {
        this.settings = settings;
        this.bus = bus;
        this.tokenValid = tokenValid;
        this.channels = channels;
        this.traffic = traffic;
        configure();
    }

    private void configure() {
        bayeux.setOption(AbstractHttpTransport.TIMEOUT_OPTION, settings.longPollTimeout().toMillis());
        bayeux.setOption(AbstractHttpTransport.INTERVAL_OPTION, 0L);
        // Salesforce drops a client that has not reconnected within 40 s of a response.
        bayeux.setOption(AbstractHttpTransport.MAX_INTERVAL_OPTION, 40_000L);
        bayeux.setOption(AbstractHttpTransport.BROWSER_COOKIE_NAME_OPTION, BROWSER_COOKIE);
        bayeux.setOption(AbstractHttpTransport.BROWSER_COOKIE_PATH_OPTION, "/");
        bayeux.setOption(AbstractHttpTransport.MAX_SESSIONS_PER_BROWSER_OPTION, -1);
        // Salesforce delivers events only in /meta/connect responses, never piggybacked on a subscribe reply.
        bayeux.setOption(AbstractHttpTransport.META_CONNECT_DELIVERY_OPTION, true);
        // CometD refuses channel names with '?', '=' or quotes; a filtered PushTopic subscription has all three.
        bayeux.setOption(BayeuxServerImpl.VALIDATE_MESSAGE_FIELDS_OPTION, false);
        bayeux.setTransports(new JSONHttpTransport(bayeux));
        bayeux.setAllowedTransports("long-polling");
        bayeux.addExtension(new SalesforceProtocol());
        bayeux.addListener(new BayeuxServer.SessionListener() {
            @Override
            public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
                feeds.remove(session.getId());
            }
        });
        bus.addListener(this::eventsAvailable);
    }

    /** The Bayeux server the CometD servlet must use (publish it as the servlet context attribute). */
    public BayeuxServer bayeux() {
        return bayeux;
    }

    /**
     * Forgets every client session as Salesforce does after a network loss or a scale event: the next request of
     * each client is answered {@code 403::Unknown client}, so clients re-handshake and re-subscribe.
     */
    public int dropAllSessions() {
        List<ServerSession> sessions = List.copyOf(bayeux.getSessions());
        for (ServerSession session : sessions) {
            feeds.remove(session.getId());
            bayeux.removeServerSession(session, true);
            // Answer the held long poll now, so the client learns at once instead of after the poll timeout.
            ((ServerSessionImpl) session).flush();
        }
        return sessions.size();
    }

    /** Answers every held long poll at once, so that clients make their next request now. */
    public void wakeAll() {
        bayeux.getSessions().forEach(session -> ((ServerSessionImpl) session).flush());
    }

    /** Successful handshakes since start: each one is a client (re)establishing a session. */
    public long handshakeCount() {
        return handshakes.get();
    }

    /** Handshakes refused since start (bad token, busy server, unsupported version): a hot loop shows here. */
    public long refusedHandshakeCount() {
        return refusedHandshakes.get();
    }

    /** How many client sessions currently receive the channel. */
    public int subscriberCount(String channel) {
        return (int) feeds.values().stream().filter(feed -> feed.isSubscribed(channel)).count();
    }

    /** Client sessions per subscription (a filtered PushTopic subscription counts under its full name). */
    public Map<String, Integer> subscriberCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        feeds.values().forEach(feed -> feed.subscriptions().forEach(name -> counts.merge(name, 1, Integer::sum)));
        return counts;
    }

    private void eventsAvailable(String channel) {
        for (SessionFeed feed : feeds.values()) {
            if (feed.isSubscribed(channel)) {
                feed.pump();
            }
        }
    }

    /** One client's subscriptions and how far each has been delivered. */
    private final class SessionFeed implements ServerSession.DeQueueListener {
        private final ServerSession session;
        /** By subscription as the client named it; a filtered one reads its PushTopic's channel. */
        private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
        /**
         * Bytes handed to CometD since its queue was last flushed. Atomic rather than guarded by this feed's monitor:
         * CometD calls {@link #deQueue} holding its session lock, while {@link #pump} holds this monitor and takes
         * the session lock inside {@code deliver}; sharing the monitor would deadlock the two.
         */
        private final AtomicLong queuedBytes = new AtomicLong();

        /** Where one subscription has got to in its channel. */
        private static final class Cursor {
            final SubscriptionFilter filter;
            long replayId;

            Cursor(SubscriptionFilter filter, long replayId) {
                this.filter = filter;
                this.replayId = replayId;
            }
        }

        SessionFeed(ServerSession session) {
            this.session = session;
            session.addListener(this);
        }

        /** Whether any subscription reads the channel, or one is named so. */
        boolean isSubscribed(String channel) {
            return cursors.containsKey(channel)
                    || cursors.values().stream().anyMatch(cursor -> cursor.filter.channel().equals(channel));
        }

        /** A repeated subscribe to a channel this client already has is a no-op, as in Bayeux: no replay twice. */
        synchronized void subscribe(SubscriptionFilter filter, long cursor) {
            if (cursors.putIfAbsent(filter.subscription(), new Cursor(filter, cursor)) == null) {
                pump();
            }
        }

        java.util.Set<String> subscriptions() {
            return cursors.keySet();
        }

        synchronized void unsubscribe(String subscription) {
            cursors.remove(subscription);
        }

        synchronized void pump() {
            for (Cursor cursor : cursors.values()) {
                while (queuedBytes.get() < RESPONSE_BUDGET_BYTES) {
                    List<StreamingEvent> batch = bus.eventsAfter(cursor.filter.channel(), cursor.replayId,
                            (int) (RESPONSE_BUDGET_BYTES - queuedBytes.get()));
                    if (batch.isEmpty()) {
                        break;
                    }
                    for (StreamingEvent event : batch) {
                        cursor.replayId = event.replayId();
                        if (cursor.filter.matches(event.data())) {
                            // The event travels on the channel as subscribed, filter included: clients route by it.
                            session.deliver(null, cursor.filter.subscription(), forClientVersion(event.data()),
                                    Promise.noop());
                            queuedBytes.addAndGet(event.estimatedBytes());
                        }
                    }
                }
            }
        }

        /** Before API 52.0 a platform event's {@code event} carries no {@code EventUuid}. */
        private Map<String, Object> forClientVersion(Map<String, Object> data) {
            Object version = session.getAttribute(API_VERSION_KEY);
            if (!(version instanceof String number) || new BigDecimal(number).compareTo(EVENT_UUID_VERSION) >= 0
                    || !(data.get("event") instanceof Map<?, ?> event) || !event.containsKey("EventUuid")) {
                return data;
            }
            Map<String, Object> withoutUuid = new LinkedHashMap<>();
            event.forEach((key, value) -> {
                if (!"EventUuid".equals(key)) {
                    withoutUuid.put((String) key, value);
                }
            });
            Map<String, Object> copy = new LinkedHashMap<>(data);
            copy.put("event", withoutUuid);
            return copy;
        }

        @Override
        public void deQueue(ServerSession session, java.util.Queue<ServerMessage> queue) {
            queuedBytes.set(0);
            // The session lock is held here; top the queue up again from another thread.
            bayeux.execute(this::pump);
        }
    }

    /** Salesforce's dialect of Bayeux: authentication, replay, error strings and the fields camel relies on. */
    private final class SalesforceProtocol implements BayeuxServer.Extension {

        @Override
        public boolean rcvMeta(ServerSession session, ServerMessage.Mutable message) {
            String channel = message.getChannel();
            ServerMessage.Mutable reply = message.getAssociated();
            BayeuxContext context = message.getBayeuxContext();
            String versionError = versionError(context);
            if (versionError != null) {
                if (Channel.META_SUBSCRIBE.equals(channel) || Channel.META_UNSUBSCRIBE.equals(channel)) {
                    reply.put(Message.SUBSCRIPTION_FIELD, message.get(Message.SUBSCRIPTION_FIELD));
                }
                return refuse(reply, versionError, null, Message.RECONNECT_NONE_VALUE);
            }
            if (Channel.META_HANDSHAKE.equals(channel)) {
                message.put(API_VERSION_KEY, apiVersion(context));
            }
            if (Channel.META_UNSUBSCRIBE.equals(channel) && isFilteredTopic(message.get(Message.SUBSCRIPTION_FIELD))
                    && session != null) {
                reply.put(Message.SUBSCRIPTION_FIELD, message.get(Message.SUBSCRIPTION_FIELD));
                return answerHere(reply);
            }
            if (Channel.META_DISCONNECT.equals(channel) || Channel.META_UNSUBSCRIBE.equals(channel)) {
                return true;
            }
            String authorization = context == null ? null : context.getHeader("Authorization");
            boolean authenticated = BearerToken.parse(authorization).filter(tokenValid).isPresent();
            boolean busy = traffic.takeBusyAnswer(ApiTraffic.Api.STREAMING);
            switch (channel) {
                case Channel.META_HANDSHAKE -> {
                    if (!authenticated || busy) {
                        // Any header that does not carry a live token is "invalid", whatever its form: camel logs in
                        // again on that reason, where "requires authentication" would have it re-handshake at once.
                        String reason = busy ? "503::" + ApiTraffic.SERVER_TOO_BUSY
                                : BearerToken.isPresent(authorization) ? "401::Authentication invalid"
                                : "401::Request requires authentication";
                        return refuse(reply, "403::Handshake denied", reason, "none");
                    }
                }
                case Channel.META_CONNECT -> {
                    if (!authenticated) {
                        return refuse(reply, "401::Authentication invalid", null, "none");
                    }
                    if (busy) {
                        return refuse(reply, "503::" + ApiTraffic.SERVER_TOO_BUSY, "503::" + ApiTraffic.SERVER_TOO_BUSY,
                                "retry");
                    }
                    if (lacksBrowserCookie(message, context)) {
                        return refuse(reply, "400::Client " + message.getClientId() + " has established a session,"
                                + " but no " + BROWSER_COOKIE + " cookie present", null, "handshake");
                    }
                }
                case Channel.META_SUBSCRIBE -> {
                    Object subscription = message.get(Message.SUBSCRIPTION_FIELD);
                    reply.put(Message.SUBSCRIPTION_FIELD, subscription);
                    if (!authenticated) {
                        return refuse(reply, "401::Authentication invalid", null, null);
                    }
                    if (busy) {
                        return refuse(reply, "503::" + ApiTraffic.SERVER_TOO_BUSY, "503::" + ApiTraffic.SERVER_TOO_BUSY,
                                null);
                    }
                    if (lacksBrowserCookie(message, context)) {
                        return refuse(reply, "400::Client " + message.getClientId() + " has established a session,"
                                + " but no " + BROWSER_COOKIE + " cookie present", null, null);
                    }
                    if (session == null) {
                        return true;
                    }
                    if (!(subscription instanceof String name) || !name.startsWith("/")) {
                        return refuse(reply, "400::Channel subscriptions must start with a leading '/'", null, null);
                    }
                    SubscriptionFilter filter = SubscriptionFilter.parse(name);
                    if (!channels.exists(filter.channel())) {
                        return refuse(reply, "400::The channel you requested to subscribe to doesn't exist {" + name
                                + "}", null, null);
                    }
                    if (filter.isFiltered()) {
                        List<String> invalid = filter.invalidFields(
                                channels.pushTopicSelectFields(filter.channel()).orElse(List.of()));
                        if (!invalid.isEmpty()) {
                            return refuse(reply, "400::Query fields {" + String.join(", ", invalid)
                                    + "} do not exist on the topic entity", null, null);
                        }
                    }
                    try {
                        message.put(CURSOR_KEY, bus.startingPoint(filter.channel(), requestedReplayId(message, name)));
                    } catch (InvalidReplayIdException e) {
                        return refuse(reply, e.getMessage(), null, null);
                    }
                    if (filter.isFiltered()) {
                        return answerHere(reply);
                    }
                }
                default -> {
                }
            }
            return true;
        }

        @Override
        public boolean sendMeta(ServerSession session, ServerMessage.Mutable reply) {
            String error = (String) reply.get(Message.ERROR_FIELD);
            if ("402::session_unknown".equals(error)) {
                reply.put(Message.ERROR_FIELD, "403::Unknown client");
                Map<String, Object> advice = reply.getAdvice(true);
                advice.put(Message.RECONNECT_FIELD, Message.RECONNECT_HANDSHAKE_VALUE);
                advice.put(Message.INTERVAL_FIELD, 0L);
            }
            if (session != null && reply.getClientId() == null && !Channel.META_HANDSHAKE.equals(reply.getChannel())
                    && !Channel.META_DISCONNECT.equals(reply.getChannel())) {
                // Salesforce names the client in its connect, subscribe and unsubscribe replies; CometD does not.
                reply.setClientId(session.getId());
            }
            switch (reply.getChannel()) {
                case Channel.META_HANDSHAKE -> {
                    if (!reply.isSuccessful()) {
                        refusedHandshakes.incrementAndGet();
                    } else {
                        handshakes.incrementAndGet();
                        ServerMessage request = reply.getAssociated();
                        if (session != null && request != null && request.get(API_VERSION_KEY) != null) {
                            session.setAttribute(API_VERSION_KEY, request.get(API_VERSION_KEY));
                        }
                        Map<String, Object> ext = reply.getExt(true);
                        ext.put("replay", Boolean.TRUE);
                        ext.put("payload.format", Boolean.TRUE);
                    }
                }
                case Channel.META_CONNECT -> {
                    if (reply.isSuccessful()) {
                        Map<String, Object> advice = reply.getAdvice(true);
                        advice.put(Message.INTERVAL_FIELD, 0L);
                        advice.put(Message.TIMEOUT_FIELD, settings.longPollTimeout().toMillis());
                        advice.put(Message.RECONNECT_FIELD, Message.RECONNECT_RETRY_VALUE);
                    }
                }
                case Channel.META_SUBSCRIBE, Channel.META_UNSUBSCRIBE -> {
                    ServerMessage request = reply.getAssociated();
                    if (request != null && !reply.containsKey(Message.SUBSCRIPTION_FIELD)) {
                        reply.put(Message.SUBSCRIPTION_FIELD, request.get(Message.SUBSCRIPTION_FIELD));
                    }
                    if (reply.isSuccessful() && session != null && request != null
                            && request.get(Message.SUBSCRIPTION_FIELD) instanceof String channel) {
                        SessionFeed feed = feeds.computeIfAbsent(session.getId(), id -> new SessionFeed(session));
                        if (Channel.META_SUBSCRIBE.equals(reply.getChannel())) {
                            feed.subscribe(SubscriptionFilter.parse(channel),
                                    ((Number) request.get(CURSOR_KEY)).longValue());
                            LOG.debug("{} subscribed to {} after replay id {}", session.getId(), channel,
                                    request.get(CURSOR_KEY));
                        } else {
                            feed.unsubscribe(channel);
                        }
                    }
                }
                default -> {
                }
            }
            return true;
        }

        /** A known client whose request lost the cookie its handshake set (CometD then cannot find its session). */
        private boolean lacksBrowserCookie(ServerMessage message, BayeuxContext context) {
            return message.getClientId() != null && bayeux.getSession(message.getClientId()) != null
                    && context.getCookie(BROWSER_COOKIE) == null;
        }

        private boolean refuse(ServerMessage.Mutable reply, String error, String failureReason, String reconnect) {
            reply.put(Message.ERROR_FIELD, error);
            reply.setSuccessful(false);
            if (failureReason != null) {
                Map<String, Object> sfdc = new HashMap<>();
                sfdc.put("failureReason", failureReason);
                reply.getExt(true).put("sfdc", sfdc);
            }
            if (reconnect != null) {
                Map<String, Object> advice = reply.getAdvice(true);
                advice.put(Message.RECONNECT_FIELD, reconnect);
                advice.put(Message.INTERVAL_FIELD, 0L);
            }
            ((org.cometd.server.ServerMessageImpl) reply).setHandled(true);
            return false;
        }

        /** Salesforce's answer to a CometD URL without a version, or with one below 37.0; null when it is fine. */
        private static String versionError(BayeuxContext context) {
            if (context == null) {
                return null;
            }
            Matcher versioned = VERSIONED_PATH.matcher(path(context));
            if (!versioned.matches()) {
                return "400::API version in the URI is mandatory. URI format: '/cometd/" + NEWEST_VERSION + "'";
            }
            if (new BigDecimal(versioned.group(1)).compareTo(OLDEST_VERSION) < 0) {
                return "400::Unsupported API version. Only API versions '37.0' and later are supported. URI format:"
                        + " '/cometd/" + NEWEST_VERSION + "'";
            }
            return null;
        }

        private static String apiVersion(BayeuxContext context) {
            if (context == null) {
                return null;
            }
            Matcher versioned = VERSIONED_PATH.matcher(path(context));
            return versioned.matches() ? versioned.group(1) : null;
        }

        /** The request's path; a URL that does not parse has none, so it names no version. */
        private static String path(BayeuxContext context) {
            try {
                String path = URI.create(context.getURL()).getPath();
                return path == null ? "" : path;
            } catch (IllegalArgumentException unparsable) {
                return "";
            }
        }

        /**
         * A filtered PushTopic subscription is no CometD channel ({@code ?}, {@code =} and quotes are not allowed in
         * a channel id), so its subscribe and unsubscribe are answered here; its events are delivered by the feed.
         */
        private static boolean isFilteredTopic(Object subscription) {
            return subscription instanceof String name && SubscriptionFilter.parse(name).isFiltered();
        }

        private boolean answerHere(ServerMessage.Mutable reply) {
            reply.setSuccessful(true);
            ((org.cometd.server.ServerMessageImpl) reply).setHandled(true);
            return false;
        }

        private long requestedReplayId(ServerMessage message, String channel) {
            Map<String, Object> ext = message.getExt();
            if (ext != null && ext.get("replay") instanceof Map<?, ?> replay
                    && replay.get(channel) instanceof Number replayId) {
                return replayId.longValue();
            }
            return -1;
        }
    }
}
