package io.dialerbridge.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the org has been asked: Salesforce API calls counted per endpoint, and the admin-armed "server too busy"
 * answers still to give.
 */
public final class ApiTraffic {

    public static final String SERVER_TOO_BUSY = "Server is too busy.  Please try your request again later.";

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<Api, AtomicInteger> busyAnswersLeft = new ConcurrentHashMap<>();

    /** The faces of the org that can be made to refuse work independently: REST, CometD, logins and Pub/Sub (gRPC). */
    public enum Api { REST, STREAMING, LOGIN, PUBSUB }

    public void count(String method, String path) {
        calls.computeIfAbsent(method + " " + path, key -> new LongAdder()).increment();
    }

    public Map<String, Long> calls() {
        Map<String, Long> snapshot = new TreeMap<>();
        calls.forEach((endpoint, count) -> snapshot.put(endpoint, count.sum()));
        return snapshot;
    }

    public void resetCalls() {
        calls.clear();
    }

    /**
     * Makes the next {@code count} requests to one API fail as an overloaded Salesforce instance would: REST calls
     * get HTTP 503, streaming handshakes, connects and subscribes get {@code 503::Server is too busy…}, logins (the
     * OAuth token endpoint and the SOAP login) get HTTP 503, and Pub/Sub calls get {@code UNAVAILABLE} with error code
     * {@code sfdc.platform.eventbus.grpc.service.unavailable}.
     */
    public void answerBusy(Api api, int count) {
        counter(api).set(count);
    }

    /** Whether this request is one of those that must be refused as too busy (and uses up one refusal). */
    public boolean takeBusyAnswer(Api api) {
        return counter(api).getAndUpdate(left -> left > 0 ? left - 1 : 0) > 0;
    }

    private AtomicInteger counter(Api api) {
        return busyAnswersLeft.computeIfAbsent(api, key -> new AtomicInteger());
    }
}
