package io.dialerbridge.emulator.rest;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.CaseSafeId;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import io.dialerbridge.emulator.data.SalesforceApiException;
import io.dialerbridge.emulator.streaming.PlatformEventPublisher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code composite/sobjects}, the sObject Collections resource (API 42.0+): create, update or delete up to 200
 * records in one call and one transaction, and publish platform events alongside.
 *
 * <p>Every staged write and every event is checked before anything commits, so {@code allOrNone:true} can refuse
 * the lot with each failing item's real error and ALL_OR_NONE_OPERATION_ROLLED_BACK for the rest. With
 * {@code allOrNone:false} the items that passed commit together as one transaction: identical updates to several
 * records then become one change event naming them all, as in Salesforce. Events are published after the commit,
 * as Salesforce's default "Publish After Commit" behaviour does.
 *
 * <p>Salesforce also splits a call into chunks of consecutive same-type records, at most ten; the emulator does not
 * count chunks.
 */
final class SObjectCollectionsResource {

    static final double MIN_VERSION = 42.0;
    static final int MAX_RECORDS = 200;

    private final EmulatorSettings settings;
    private final RecordStore records;
    private final PlatformEventPublisher platformEvents;

    SObjectCollectionsResource(EmulatorSettings settings, RecordStore records, PlatformEventPublisher platformEvents) {
        this.settings = settings;
        this.records = records;
        this.platformEvents = platformEvents;
    }

    /** One item of the call: its outcome so far, and for a platform event what is still to be published. */
    private static final class Item {
        String id;
        SalesforceApiException failure;
        PlatformEventPublisher.CheckedEvent event;

        Map<String, Object> result() {
            return failure != null ? SaveResults.failure(id, failure) : SaveResults.success(id);
        }
    }

    void handle(HttpServletRequest request, HttpServletResponse response, String version) throws IOException {
        if (Double.parseDouble(version) < MIN_VERSION) {
            throw SalesforceApiException.notFound();
        }
        switch (request.getMethod()) {
            case "POST" -> create(request, response, version);
            case "PATCH" -> update(request, response, version);
            case "DELETE" -> delete(request, response, version);
            default -> throw RestServlet.methodNotAllowed(request, "POST,PATCH,DELETE");
        }
    }

    private void create(HttpServletRequest request, HttpServletResponse response, String version)
            throws IOException {
        Map<String, Object> body = JsonRequests.object(request);
        List<Map<String, Object>> sent = JsonRequests.objects(body, "records");
        checkCount(sent.size());
        RecordStore.Transaction transaction = RestServlet.begin(records, settings, version);
        List<Item> items = stageEach(sent, (item, record) -> {
            String typeName = typeName(record);
            if (record.keySet().stream().anyMatch("Id"::equalsIgnoreCase)) {
                throw new SalesforceApiException(400, "INVALID_FIELD", "cannot specify Id in an insert call");
            }
            if (platformEvents.isDefined(typeName)) {
                item.event = platformEvents.check(typeName, record);
            } else {
                item.id = transaction.create(type(typeName), record);
            }
        });
        finish(response, allOrNone(body), transaction, items, false);
    }

    private void update(HttpServletRequest request, HttpServletResponse response, String version)
            throws IOException {
        Map<String, Object> body = JsonRequests.object(request);
        List<Map<String, Object>> sent = JsonRequests.objects(body, "records");
        checkCount(sent.size());
        RecordStore.Transaction transaction = RestServlet.begin(records, settings, version);
        List<Item> items = stageEach(sent, (item, record) -> {
            Map<String, Object> values = new LinkedHashMap<>(record);
            Object id = values.keySet().stream().filter("Id"::equalsIgnoreCase).findFirst()
                    .map(values::remove).orElse(null);
            if (id == null) {
                throw new SalesforceApiException(400, "MISSING_ARGUMENT", "Id not specified in an update call");
            }
            item.id = id.toString();
            SObjectType type = type(typeName(record));
            item.id = existing(type, item.id);
            transaction.update(type, item.id, values);
        });
        finish(response, allOrNone(body), transaction, items, true);
    }

    private void delete(HttpServletRequest request, HttpServletResponse response, String version)
            throws IOException {
        String ids = request.getParameter("ids");
        if (ids == null || ids.isBlank()) {
            throw new SalesforceApiException(400, "MISSING_ARGUMENT", "ids parameter is required");
        }
        List<String> sent = Arrays.stream(ids.split(",")).map(String::trim).toList();
        checkCount(sent.size());
        RecordStore.Transaction transaction = RestServlet.begin(records, settings, version);
        List<Item> items = stageEach(sent, (item, id) -> {
            item.id = id;
            if (!CaseSafeId.isValid(id)) {
                throw new SalesforceApiException(400, "MALFORMED_ID", "malformed id " + id);
            }
            SObjectType type = records.typeOf(CaseSafeId.of(id))
                    .or(() -> SObjectType.byKeyPrefix(id.substring(0, 3)))
                    .orElseThrow(() -> missing(id));
            item.id = existing(type, id);
            transaction.delete(type, item.id);
        });
        finish(response, Boolean.parseBoolean(request.getParameter("allOrNone")), transaction, items, true);
    }

    /** Checks and stages one sent record into its item; a refusal is thrown as a SalesforceApiException. */
    @FunctionalInterface
    private interface Stage<T> {
        void into(Item item, T sent);
    }

    /** Stages every sent record in request order; each one's refusal stays on its own item. */
    private static <T> List<Item> stageEach(List<T> sent, Stage<T> stage) {
        List<Item> items = new ArrayList<>();
        for (T one : sent) {
            Item item = new Item();
            items.add(item);
            try {
                stage.into(item, one);
            } catch (SalesforceApiException failure) {
                item.failure = failure;
            }
        }
        return items;
    }

    /**
     * Commits what passed (or, all-or-none, nothing if anything failed), publishes the events and answers the save
     * results in request order.
     */
    private void finish(HttpServletResponse response, boolean allOrNone, RecordStore.Transaction transaction,
            List<Item> items, boolean resultsKeepIds) throws IOException {
        boolean anyFailed = items.stream().anyMatch(item -> item.failure != null);
        List<Map<String, Object>> results = new ArrayList<>();
        if (allOrNone && anyFailed) {
            // the staged transaction is simply never committed
            for (Item item : items) {
                String id = resultsKeepIds ? item.id : null;
                results.add(item.failure != null ? SaveResults.failure(id, item.failure) : SaveResults.rolledBack(id));
            }
        } else {
            if (!transaction.isEmpty()) {
                transaction.commit();
            }
            for (Item item : items) {
                if (item.failure == null && item.event != null) {
                    results.add(SaveResults.enqueued(
                            platformEvents.publish(item.event, settings.userId()).eventUuid()));
                } else {
                    results.add(item.result());
                }
            }
        }
        JsonResponses.write(response, 200, results);
    }

    private static void checkCount(int count) {
        if (count > MAX_RECORDS) {
            throw new SalesforceApiException(400, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_RECORDS + " records into this call");
        }
    }

    private static boolean allOrNone(Map<String, Object> body) {
        Object value = body.get("allOrNone");
        return Boolean.TRUE.equals(value) || "true".equalsIgnoreCase(String.valueOf(value));
    }

    private static String typeName(Map<String, Object> record) {
        Object type = record.get("attributes") instanceof Map<?, ?> attributes ? attributes.get("type") : null;
        if (type == null || type.toString().isBlank()) {
            throw new SalesforceApiException(400, "INVALID_TYPE", "Must send a concrete entity type.");
        }
        return type.toString();
    }

    private static SObjectType type(String name) {
        return SObjectType.byName(name).orElseThrow(() -> new SalesforceApiException(400, "INVALID_TYPE",
                "sObject type '" + name + "' is not supported."));
    }

    /**
     * The 18-character id of a live record of the type. Save results have no NOT_FOUND; a record in the recycle bin
     * is ENTITY_IS_DELETED and one that never existed an invalid cross reference.
     */
    private String existing(SObjectType type, String id) {
        String checked = SObjectResource.checkedId(type, id);
        Optional<Map<String, Object>> live = records.find(checked);
        if (live.isEmpty() || records.typeOf(checked).orElse(null) != type) {
            throw missing(checked);
        }
        return checked;
    }

    private SalesforceApiException missing(String id) {
        boolean inRecycleBin = CaseSafeId.isValid(id) && records.typeOf(CaseSafeId.of(id)).isPresent();
        return inRecycleBin
                ? new SalesforceApiException(400, "ENTITY_IS_DELETED", "entity is deleted")
                : new SalesforceApiException(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id");
    }
}
