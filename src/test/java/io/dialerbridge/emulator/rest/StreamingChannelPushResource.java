package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.streaming.GenericChannelPublisher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sobjects/StreamingChannel/<id>/push}: who listens on a generic channel (GET) and pushing string payloads
 * to it (POST).
 *
 * <p>The emulator tracks no user presence, so no user is ever reported online: a targeted push answers
 * {@code fanoutCount:0} and every user as offline. Its payload is still published, because every client the
 * emulator serves is the one integration user and a targeted push would reach it.
 */
final class StreamingChannelPushResource {

    private final RecordStore records;
    private final GenericChannelPublisher genericChannels;

    StreamingChannelPushResource(RecordStore records, GenericChannelPublisher genericChannels) {
        this.records = records;
        this.genericChannels = genericChannels;
    }

    void handle(HttpServletRequest request, HttpServletResponse response, String rawChannelId) throws IOException {
        String channelId = SObjectResource.checkedId(SObjectType.STREAMING_CHANNEL, rawChannelId);
        String channelName = (String) records.find(channelId)
                .orElseThrow(SalesforceApiException::notFound)
                .get("Name");
        switch (request.getMethod()) {
            case "GET", "HEAD" -> {
                Map<String, Object> listeners = new LinkedHashMap<>();
                listeners.put("OnlineUserIds", List.of());
                listeners.put("ChannelName", channelName);
                JsonResponses.write(response, 200, listeners);
            }
            case "POST" -> push(request, response, channelName);
            default -> throw RestServlet.methodNotAllowed(request, "HEAD,GET,POST");
        }
    }

    private void push(HttpServletRequest request, HttpServletResponse response, String channelName)
            throws IOException {
        List<Map<String, Object>> pushEvents = JsonRequests.objects(JsonRequests.object(request), "pushEvents");
        List<String> payloads = new ArrayList<>();
        List<List<String>> targets = new ArrayList<>();
        // every event is checked before the first goes out, so a refused request publishes nothing
        for (Map<String, Object> pushEvent : pushEvents) {
            payloads.add(GenericChannelPublisher.check(pushEvent.get("payload")));
            targets.add(userIds(pushEvent.get("userIds")));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            genericChannels.push(channelName, payloads.get(i));
            Map<String, Object> userOnlineStatus = new LinkedHashMap<>();
            targets.get(i).forEach(userId -> userOnlineStatus.put(userId, false));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("fanoutCount", targets.get(i).isEmpty() ? -1 : 0);
            result.put("userOnlineStatus", userOnlineStatus);
            results.add(result);
        }
        JsonResponses.write(response, 200, results);
    }

    private static List<String> userIds(Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.stream().anyMatch(item -> !(item instanceof String))) {
            throw JsonRequests.parserError("Expected 'userIds' to be an array of user ids");
        }
        return list.stream().map(String.class::cast).toList();
    }
}
