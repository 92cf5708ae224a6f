package io.dialerbridge.emulator.data;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The emulated org's records. Writes are staged in a {@link Transaction}, checked as Salesforce checks them, and
 * committed under one lock so that listeners (the event bus) see changes in commit order.
 *
 * <p>A deleted record goes to the recycle bin, as in Salesforce: {@code IsDeleted} becomes true and its
 * {@code SystemModstamp} the time of the delete, {@code queryAll} still reads it and it can be undeleted, until it has
 * been there for the recycle bin's retention (15 days in Salesforce); then it is gone for good.
 */
public final class RecordStore {

    /** How long Salesforce keeps deleted records in the recycle bin. */
    public static final Duration RECYCLE_BIN_RETENTION = Duration.ofDays(15);

    private final Map<String, StoredRecord> records = new ConcurrentHashMap<>();
    private final IdGenerator ids;
    private final Clock clock;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final AtomicLong commitNumbers = new AtomicLong(10_653_914_629_120L);
    private final List<Consumer<List<RecordChange>>> listeners = new CopyOnWriteArrayList<>();
    private final List<RecordValidator> validators = new CopyOnWriteArrayList<>();
    private final Duration recycleBinRetention;
    /** Deleted records in order of deletion: what the retention empties first. */
    private final java.util.Queue<Binned> recycleBin = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Binned(StoredRecord record, Instant deletedAt) {
    }

    public RecordStore(IdGenerator ids, Clock clock) {
        this(ids, clock, RECYCLE_BIN_RETENTION);
    }

    public RecordStore(IdGenerator ids, Clock clock, Duration recycleBinRetention) {
        this.ids = ids;
        this.clock = clock;
        this.recycleBinRetention = recycleBinRetention;
    }

    /** Extra rules for one object type, such as PushTopic's query restrictions. */
    @FunctionalInterface
    public interface RecordValidator {
        /** Throws {@link SalesforceApiException} when the record about to be saved is not acceptable. */
        void validate(SObjectType type, Map<String, Object> recordAfterWrite);
    }

    private static final class StoredRecord {
        final SObjectType type;
        final Map<String, Object> fields;
        boolean deleted;
        /** When the record went to the recycle bin; null while it is live. */
        Instant deletedAt;

        StoredRecord(SObjectType type, Map<String, Object> fields) {
            this.type = type;
            this.fields = fields;
        }
    }

    /** Called with every committed transaction's changes, in commit order, while the commit lock is held. */
    public void addListener(Consumer<List<RecordChange>> listener) {
        listeners.add(listener);
    }

    public void addValidator(RecordValidator validator) {
        validators.add(validator);
    }

    public Transaction begin(String userId, String changeOrigin) {
        return new Transaction(userId, changeOrigin);
    }

    /** A live record by id, as a copy; empty when unknown or deleted. */
    public Optional<Map<String, Object>> find(String id) {
        StoredRecord stored = records.get(id);
        if (stored == null || stored.deleted) {
            return Optional.empty();
        }
        synchronized (stored) {
            return Optional.of(withDerivedFields(stored.type, stored.fields));
        }
    }

    public Optional<SObjectType> typeOf(String id) {
        emptyExpiredRecycleBin();
        return Optional.ofNullable(records.get(id)).map(stored -> stored.type);
    }

    /**
     * Deletes for good the records that have been in the recycle bin longer than its retention. The bin is a queue in
     * order of deletion, so this looks at expired entries only; an entry whose record was undeleted (or deleted
     * again later) since is dropped.
     */
    private void emptyExpiredRecycleBin() {
        Instant oldestKept = clock.instant().minus(recycleBinRetention);
        for (Binned oldest = recycleBin.peek(); oldest != null && oldest.deletedAt().isBefore(oldestKept);
                oldest = recycleBin.peek()) {
            if (!recycleBin.remove(oldest)) {
                continue;
            }
            StoredRecord stored = oldest.record();
            synchronized (stored) {
                if (stored.deleted && oldest.deletedAt().equals(stored.deletedAt)) {
                    records.remove(stored.fields.get("Id").toString(), stored);
                }
            }
        }
    }

    /** Snapshot of every live record of one type, in creation order. */
    public List<Map<String, Object>> records(SObjectType type) {
        return records(type, false);
    }

    /**
     * Snapshot of the records of one type in creation order; with {@code includeDeleted}, records in the recycle bin
     * too (their {@code IsDeleted} is true), as {@code queryAll} sees them.
     */
    public List<Map<String, Object>> records(SObjectType type, boolean includeDeleted) {
        emptyExpiredRecycleBin();
        List<Map<String, Object>> result = new ArrayList<>();
        records.values().stream()
                .filter(stored -> stored.type == type && (includeDeleted || !stored.deleted))
                .forEach(stored -> {
                    synchronized (stored) {
                        result.add(withDerivedFields(stored.type, stored.fields));
                    }
                });
        result.sort((a, b) -> ((String) a.get("Id")).compareTo((String) b.get("Id")));
        return result;
    }

    private static Map<String, Object> withDerivedFields(SObjectType type, Map<String, Object> fields) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        if (type.hasCompoundName()) {
            copy.put("Name", fullName(fields));
        }
        if (type == SObjectType.PUSH_TOPIC) {
            // read-only, so derived on every read rather than stored: it can never disagree with the four flags
            copy.put("NotifyForOperations", PushTopicRules.notifyForOperations(fields));
        }
        return copy;
    }

    static String fullName(Map<String, Object> fields) {
        StringBuilder name = new StringBuilder();
        for (String part : List.of("Salutation", "FirstName", "LastName")) {
            Object value = fields.get(part);
            if (value != null && !value.toString().isBlank()) {
                if (name.length() > 0) {
                    name.append(' ');
                }
                name.append(value);
            }
        }
        return name.toString();
    }


    private record StagedWrite(ChangeType operation, SObjectType type, String id, Map<String, Object> values) {
    }

    /** Writes that commit together: one Salesforce transaction, one transaction key for its change events. */
    public final class Transaction {
        private final String userId;
        private final String changeOrigin;
        private final List<StagedWrite> writes = new ArrayList<>();

        private Transaction(String userId, String changeOrigin) {
            this.userId = userId;
            this.changeOrigin = changeOrigin;
        }

        /** Stages a new record and returns the id it will have. */
        public String create(SObjectType type, Map<String, ?> values) {
            Map<String, Object> checked = checkWritableFields(type, values, true);
            Map<String, Object> candidate = new LinkedHashMap<>(type.defaults());
            candidate.putAll(checked);
            List<String> missing = type.requiredFields().stream()
                    .filter(field -> candidate.get(field) == null || "".equals(candidate.get(field)))
                    .toList();
            if (!missing.isEmpty()) {
                throw new SalesforceApiException(400, "REQUIRED_FIELD_MISSING",
                        "Required fields are missing: " + missing, missing);
            }
            checkReferences(type, candidate);
            for (RecordValidator validator : validators) {
                validator.validate(type, candidate);
            }
            String id = ids.next(type.keyPrefix());
            writes.add(new StagedWrite(ChangeType.CREATE, type, id, checked));
            return id;
        }

        public void update(SObjectType type, String id, Map<String, ?> values) {
            StoredRecord stored = existing(type, id);
            Map<String, Object> checked = checkWritableFields(type, values, false);
            Map<String, Object> candidate;
            synchronized (stored) {
                candidate = new LinkedHashMap<>(stored.fields);
            }
            candidate.putAll(checked);
            for (String required : type.requiredFields()) {
                if (checked.containsKey(required) && (candidate.get(required) == null
                        || "".equals(candidate.get(required)))) {
                    throw new SalesforceApiException(400, "REQUIRED_FIELD_MISSING",
                            "Required fields are missing: [" + required + "]", List.of(required));
                }
            }
            checkReferences(type, candidate);
            for (RecordValidator validator : validators) {
                validator.validate(type, candidate);
            }
            writes.add(new StagedWrite(ChangeType.UPDATE, type, stored.fields.get("Id").toString(), checked));
        }

        public void delete(SObjectType type, String id) {
            StoredRecord stored = existing(type, id);
            writes.add(new StagedWrite(ChangeType.DELETE, type, stored.fields.get("Id").toString(), Map.of()));
        }

        /** Restores a deleted record from the recycle bin. */
        public void undelete(String id) {
            emptyExpiredRecycleBin();
            StoredRecord stored = records.get(id);
            if (stored == null) {
                throw SalesforceApiException.notFound();
            }
            if (!stored.deleted) {
                throw new SalesforceApiException(400, "UNDELETE_FAILED", "Entity is not in the recycle bin");
            }
            writes.add(new StagedWrite(ChangeType.UNDELETE, stored.type, id, Map.of()));
        }

        public boolean isEmpty() {
            return writes.isEmpty();
        }

        /** Applies every staged write and tells the listeners; returns the changes in commit order. */
        public List<RecordChange> commit() {
            commitLock.lock();
            try {
                Instant now = clock.instant();
                String transactionKey = UUID.randomUUID().toString();
                List<RecordChange> changes = new ArrayList<>();
                int sequence = 0;
                for (StagedWrite write : writes) {
                    changes.add(apply(write, now, transactionKey, ++sequence));
                }
                for (Consumer<List<RecordChange>> listener : listeners) {
                    listener.accept(List.copyOf(changes));
                }
                writes.clear();
                return changes;
            } finally {
                commitLock.unlock();
            }
        }

        private RecordChange apply(StagedWrite write, Instant now, String transactionKey, int sequence) {
            long commitNumber = commitNumbers.incrementAndGet();
            return switch (write.operation()) {
                case CREATE -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    fields.put("Id", write.id());
                    fields.putAll(write.type().defaults());
                    fields.putAll(write.values());
                    if (write.type().fields().containsKey("OwnerId") && fields.get("OwnerId") == null) {
                        fields.put("OwnerId", userId);
                    }
                    fields.put("CreatedDate", now);
                    fields.put("CreatedById", userId);
                    fields.put("LastModifiedDate", now);
                    fields.put("LastModifiedById", userId);
                    fields.put("SystemModstamp", now);
                    fields.put("IsDeleted", false);
                    records.put(write.id(), new StoredRecord(write.type(), fields));
                    List<String> changed = new ArrayList<>(nonNull(fields).keySet());
                    yield new RecordChange(write.type(), ChangeType.CREATE, write.id(), Map.of(),
                            withDerivedFields(write.type(), fields), changed, userId, now, transactionKey, sequence,
                            commitNumber, changeOrigin);
                }
                case UPDATE -> {
                    StoredRecord stored = records.get(write.id());
                    synchronized (stored) {
                        Map<String, Object> before = withDerivedFields(stored.type, stored.fields);
                        List<String> changed = new ArrayList<>();
                        for (String field : write.type().fields().keySet()) {
                            if (write.values().containsKey(field)
                                    && !Objects.equals(stored.fields.get(field), write.values().get(field))) {
                                changed.add(field);
                            }
                        }
                        stored.fields.putAll(write.values());
                        stored.fields.put("LastModifiedDate", now);
                        stored.fields.put("LastModifiedById", userId);
                        stored.fields.put("SystemModstamp", now);
                        changed.add("LastModifiedDate");
                        yield new RecordChange(write.type(), ChangeType.UPDATE, write.id(), before,
                                withDerivedFields(stored.type, stored.fields), changed, userId, now, transactionKey,
                                sequence, commitNumber, changeOrigin);
                    }
                }
                case DELETE -> {
                    StoredRecord stored = records.get(write.id());
                    synchronized (stored) {
                        stored.deleted = true;
                        stored.deletedAt = now;
                        recycleBin.add(new Binned(stored, now));
                        stored.fields.put("IsDeleted", true);
                        // What replication reads to find deletes: queryAll ... WHERE IsDeleted = true AND
                        // SystemModstamp > the last sync.
                        stored.fields.put("SystemModstamp", now);
                        Map<String, Object> last = withDerivedFields(stored.type, stored.fields);
                        yield new RecordChange(write.type(), ChangeType.DELETE, write.id(), last, last, List.of(),
                                userId, now, transactionKey, sequence, commitNumber, changeOrigin);
                    }
                }
                case UNDELETE -> {
                    StoredRecord stored = records.get(write.id());
                    synchronized (stored) {
                        stored.deleted = false;
                        stored.deletedAt = null;
                        stored.fields.put("IsDeleted", false);
                        stored.fields.put("LastModifiedDate", now);
                        stored.fields.put("LastModifiedById", userId);
                        stored.fields.put("SystemModstamp", now);
                        Map<String, Object> restored = withDerivedFields(stored.type, stored.fields);
                        yield new RecordChange(write.type(), ChangeType.UNDELETE, write.id(), Map.of(), restored,
                                new ArrayList<>(nonNull(stored.fields).keySet()), userId, now, transactionKey,
                                sequence, commitNumber, changeOrigin);
                    }
                }
            };
        }
    }

    private StoredRecord existing(SObjectType type, String id) {
        if (!CaseSafeId.isValid(id) || !id.startsWith(type.keyPrefix())) {
            throw SalesforceApiException.malformedId(type.name(), id);
        }
        StoredRecord stored = records.get(CaseSafeId.of(id));
        if (stored == null || stored.deleted || stored.type != type) {
            throw SalesforceApiException.notFound();
        }
        return stored;
    }

    private void checkReferences(SObjectType type, Map<String, Object> candidate) {
        if (type == SObjectType.CAMPAIGN_MEMBER) {
            requireLive(candidate.get("CampaignId"), SObjectType.CAMPAIGN, "CampaignId");
            Object leadId = candidate.get("LeadId");
            Object contactId = candidate.get("ContactId");
            if (leadId == null && contactId == null) {
                throw new SalesforceApiException(400, "REQUIRED_FIELD_MISSING",
                        "Required fields are missing: [LeadId, ContactId]", List.of("LeadId", "ContactId"));
            }
            if (leadId != null) {
                requireLive(leadId, SObjectType.LEAD, "LeadId");
            }
            if (contactId != null) {
                requireLive(contactId, SObjectType.CONTACT, "ContactId");
            }
        }
    }

    private void requireLive(Object id, SObjectType type, String field) {
        StoredRecord stored = id == null ? null : records.get(id.toString());
        if (stored == null || stored.deleted || stored.type != type) {
            throw new SalesforceApiException(400, "INVALID_CROSS_REFERENCE_KEY",
                    "invalid cross reference id", List.of(field));
        }
    }

    private static Map<String, Object> nonNull(Map<String, Object> fields) {
        Map<String, Object> result = new LinkedHashMap<>();
        fields.forEach((field, value) -> {
            if (value != null) {
                result.put(field, value);
            }
        });
        return result;
    }

    /** Checks names and types of client-supplied values and returns them keyed by canonical field name. */
    private static Map<String, Object> checkWritableFields(SObjectType type, Map<String, ?> values, boolean create) {
        Map<String, Object> checked = new LinkedHashMap<>();
        List<String> readOnly = new ArrayList<>();
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if ("attributes".equals(entry.getKey())) {
                continue;
            }
            String field = type.canonicalField(entry.getKey()).orElseThrow(() -> SalesforceApiException.invalidField(
                    "No such column '" + entry.getKey() + "' on sobject of type " + type.name(), entry.getKey()));
            FieldType fieldType = type.fields().get(field);
            if (SObjectType.SYSTEM_FIELDS.contains(field) || fieldType == FieldType.COMPOUND_NAME
                    || "NotifyForOperations".equals(field)) {
                readOnly.add(field);
                continue;
            }
            checked.put(field, coerce(type, field, fieldType, entry.getValue()));
        }
        if (!readOnly.isEmpty()) {
            throw new SalesforceApiException(400, "INVALID_FIELD_FOR_INSERT_UPDATE",
                    "Unable to " + (create ? "create" : "update") + " fields: " + readOnly
                            + ". Please check the security settings of this field and verify that it is read/write"
                            + " for your profile or permission set.", readOnly);
        }
        return checked;
    }

    private static Object coerce(SObjectType type, String field, FieldType fieldType, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return switch (fieldType) {
                case BOOLEAN -> {
                    if (value instanceof Boolean bool) {
                        yield bool;
                    }
                    if ("true".equalsIgnoreCase(value.toString()) || "false".equalsIgnoreCase(value.toString())) {
                        yield Boolean.parseBoolean(value.toString());
                    }
                    throw new IllegalArgumentException("boolean");
                }
                case DOUBLE -> value instanceof Number number ? number.doubleValue()
                        : new BigDecimal(value.toString()).doubleValue();
                case INTEGER -> value instanceof Number number ? number.longValue() : Long.parseLong(value.toString());
                case DATE -> LocalDate.parse(value.toString()).toString();
                case DATETIME -> Instant.parse(value.toString().replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
                case ID, REFERENCE -> {
                    String id = value.toString();
                    if (!CaseSafeId.isValid(id)) {
                        throw SalesforceApiException.malformedId(field, id);
                    }
                    yield CaseSafeId.of(id);
                }
                default -> {
                    if (value instanceof Map || value instanceof Collection) {
                        throw new IllegalArgumentException("text");
                    }
                    yield value.toString();
                }
            };
        } catch (IllegalArgumentException | DateTimeParseException e) {
            if (e instanceof SalesforceApiException apiException) {
                throw apiException;
            }
            throw new SalesforceApiException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of "
                    + fieldType.name().toLowerCase() + " from value " + value + " for field " + field + " on "
                    + type.name(), List.of(field));
        }
    }
}
