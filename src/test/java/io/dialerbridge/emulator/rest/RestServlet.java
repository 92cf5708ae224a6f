package io.dialerbridge.emulator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.streaming.GenericChannelPublisher;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API under {@code /services/data}: finds the resource a path names and answers every failure in
 * Salesforce's error-array format.
 */
public class RestServlet extends HttpServlet {

    public static final String PATH_SPEC = "/services/data/*";
    /** API versions this org answers; camel-salesforce 4.17 defaults to 56.0. */
    public static final List<String> VERSIONS = List.of("37.0", "45.0", "50.0", "56.0", "58.0", "60.0", "62.0");

    private static final Logger LOG = LoggerFactory.getLogger(RestServlet.class);
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d)(/.*)?$");
    private static final Pattern QUERY = Pattern.compile("^/(query|queryAll)/?$");
    /** The rest of a query's results: {@code nextRecordsUrl} says {@code query/} for queryAll too. */
    private static final Pattern QUERY_MORE = Pattern.compile("^/(?:query|queryAll)/([A-Za-z0-9]+-\\d+)/?$");
    private static final Pattern COLLECTIONS = Pattern.compile("^/composite/sobjects/?$");
    private static final Pattern CHANNEL_PUSH = Pattern.compile("^/sobjects/StreamingChannel/([^/]+)/push/?$");
    private static final Pattern SOBJECT = Pattern.compile("^/sobjects/([A-Za-z0-9_]+)/?$");
    private static final Pattern SOBJECT_ID = Pattern.compile("^/sobjects/([A-Za-z0-9_]+)/([^/]+)/?$");

    private final SObjectResource sobjects;
    private final QueryResource queries;
    private final SObjectCollectionsResource collections;
    private final StreamingChannelPushResource channelPushes;

    public RestServlet(EmulatorSettings settings, RecordStore records, PlatformEventPublisher platformEvents,
            GenericChannelPublisher genericChannels) {
        this.sobjects = new SObjectResource(settings, records, platformEvents);
        this.queries = new QueryResource(records, settings);
        this.collections = new SObjectCollectionsResource(settings, records, platformEvents);
        this.channelPushes = new StreamingChannelPushResource(records, genericChannels);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            if (path.equals("/")) {
                versions(request, response);
                return;
            }
            Matcher versioned = VERSIONED.matcher(path);
            if (!versioned.matches() || !VERSIONS.contains(versioned.group(1))) {
                throw SalesforceApiException.notFound();
            }
            String version = versioned.group(1);
            String resource = versioned.group(2) == null ? "/" : versioned.group(2);
            dispatch(request, response, version, resource);
        } catch (SalesforceApiException failure) {
            JsonResponses.error(response, failure);
        } catch (JsonProcessingException malformed) {
            JsonResponses.error(response, 400, "JSON_PARSER_ERROR", malformed.getOriginalMessage(), List.of());
        } catch (RuntimeException unexpected) {
            // Salesforce hides internal failures behind an error id; the log keeps the cause for whoever debugs
            String errorId = UUID.randomUUID().toString();
            LOG.error("Unexpected failure answering {} {} (error id {})", request.getMethod(), path, errorId,
                    unexpected);
            JsonResponses.error(response, 500, "UNKNOWN_EXCEPTION",
                    "An unexpected error occurred. Please include this ErrorId if you contact support: " + errorId,
                    List.of());
        }
    }

    private void dispatch(HttpServletRequest request, HttpServletResponse response, String version, String resource)
            throws IOException {
        Matcher matcher;
        if (resource.equals("/") || resource.isEmpty()) {
            resources(request, response, version);
        } else if ((matcher = QUERY.matcher(resource)).matches()) {
            queries.query(request, response, version, matcher.group(1).equals("queryAll"));
        } else if ((matcher = QUERY_MORE.matcher(resource)).matches()) {
            queries.more(request, response, matcher.group(1));
        } else if (COLLECTIONS.matcher(resource).matches()) {
            collections.handle(request, response, version);
        } else if ((matcher = CHANNEL_PUSH.matcher(resource)).matches()) {
            channelPushes.handle(request, response, matcher.group(1));
        } else if ((matcher = SOBJECT.matcher(resource)).matches()) {
            sobjects.typeResource(request, response, version, matcher.group(1));
        } else if ((matcher = SOBJECT_ID.matcher(resource)).matches()) {
            sobjects.recordResource(request, response, version, matcher.group(1), matcher.group(2));
        } else {
            throw SalesforceApiException.notFound();
        }
    }

    /** Salesforce's 405, which names the methods the resource does allow. */
    static SalesforceApiException methodNotAllowed(HttpServletRequest request, String allowed) {
        return new SalesforceApiException(405, "METHOD_NOT_ALLOWED",
                "HTTP Method '" + request.getMethod() + "' not allowed. Allowed are " + allowed);
    }

    /**
     * A transaction of the integration user whose change events name this REST API version and the org's integration
     * client as their {@code changeOrigin}, as Salesforce does for REST changes.
     */
    static RecordStore.Transaction begin(RecordStore records, EmulatorSettings settings, String version) {
        return records.begin(settings.userId(), "com/salesforce/api/rest/" + version + ";client="
                + settings.clientId());
    }

    private static void versions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        requireGet(request);
        List<Map<String, String>> versions = new ArrayList<>();
        for (String version : VERSIONS) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("label", "Emulated " + version);
            entry.put("url", "/services/data/v" + version);
            entry.put("version", version);
            versions.add(entry);
        }
        JsonResponses.write(response, 200, versions);
    }

    /** The resources of one version: only those the emulator serves. */
    private static void resources(HttpServletRequest request, HttpServletResponse response, String version)
            throws IOException {
        requireGet(request);
        String base = "/services/data/v" + version;
        Map<String, String> resources = new LinkedHashMap<>();
        resources.put("sobjects", base + "/sobjects");
        resources.put("query", base + "/query");
        resources.put("queryAll", base + "/queryAll");
        if (Double.parseDouble(version) >= SObjectCollectionsResource.MIN_VERSION) {
            resources.put("composite", base + "/composite");
        }
        JsonResponses.write(response, 200, resources);
    }

    static void requireGet(HttpServletRequest request) {
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            throw methodNotAllowed(request, "HEAD,GET");
        }
    }
}
