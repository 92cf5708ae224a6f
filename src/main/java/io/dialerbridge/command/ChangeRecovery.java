package io.dialerbridge.command;

import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import io.dialerbridge.salesforce.SalesforceRecords;
import io.dialerbridge.salesforce.SalesforceRecords.QueryPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovers over REST what a stream cannot say. It reads the records a gap event names, every record of an entity after
 * an overflow event or an expired checkpoint (a resync), and CampaignMembers the bridge never saw. Every call goes
 * through {@link SalesforceCallRetries}, so a transient Salesforce failure holds the channel instead of losing the
 * event.
 *
 * <p>A resync pages through every live record of the entity ({@code nextRecordsUrl} until done) and then through
 * every deleted one still in the recycle bin ({@code queryAll … WHERE IsDeleted = true}), which it removes. It reads
 * the whole recycle bin rather than what was deleted since the checkpoint: the Salesforce time a checkpoint keeps is
 * for the replay lag, absent from older checkpoints, so no safe bound, and a repeated remove does no harm. It then fences the
 * channel ({@link SnapshotFences}) so that older events replayed after it do not overwrite the snapshot.
 */
final class ChangeRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeRecovery.class);
    /** The CampaignMember fields a refetch, a resync and a lookup read. */
    static final List<String> CAMPAIGN_MEMBER_FIELDS = List.of("Id", "CampaignId", "LeadId", "ContactId", "Status");
    /** Records one channel's fence remembers one by one (about 10 MB); see {@link SnapshotFences}. */
    static final int FENCE_CAPACITY = 100_000;
    /** How often a resync starts paging again after Salesforce released its query locator. */
    private static final int LOCATOR_RESTARTS = 3;
    private static final String MODSTAMP = "SystemModstamp";

    private final MappingRules rules;
    private final SalesforceRecords records;
    private final SalesforceCallRetries retries;
    private final ChangeEventMapper people;
    private final Supplier<CampaignMemberChangeMapper> members;
    private final SnapshotFences fences = new SnapshotFences(FENCE_CAPACITY);

    ChangeRecovery(MappingRules rules, SalesforceRecords records, SalesforceCallRetries retries,
            ChangeEventMapper people, Supplier<CampaignMemberChangeMapper> members) {
        this.rules = rules;
        this.records = records;
        this.retries = retries;
        this.people = people;
        this.members = members;
        ResyncProgress.register();
    }

    /** A gap event says records changed but not how: read each as it is now, or remove it if it is gone. */
    List<DialerCommand> refetch(String entity, List<String> recordIds, EventOrigin origin) {
        List<String> fields = fieldsOf(entity);
        boolean fannedOut = recordIds.size() > 1;
        List<DialerCommand> commands = new ArrayList<>();
        for (String recordId : recordIds) {
            Optional<Map<String, Object>> current = retries.call(origin.channel(), "the " + entity + " " + recordId,
                    () -> records.fetch(entity, recordId, fields));
            if (isCampaignMember(entity)) {
                commands.addAll(current.isPresent() ? members.get().snapshotCommands(current.get(), fannedOut, origin)
                        : members.get().goneCommands(recordId, fannedOut, origin));
            } else if (current.isPresent()) {
                commands.addAll(people.snapshotCommands(current.get(), entity, fannedOut, origin));
            } else {
                commands.addAll(people.goneCommands(recordId, fannedOut, origin));
            }
        }
        return commands;
    }

    /**
     * Changes to the entity were lost (an overflow event, or a checkpoint Salesforce no longer retains): every record
     * of it again, each a full snapshot, and a remove for each one in the recycle bin.
     *
     * @param condition a SOQL condition the records must meet (a PushTopic's WHERE clause), or null for all
     */
    List<DialerCommand> resync(String entity, String condition, EventOrigin origin) {
        List<String> fields = new ArrayList<>(fieldsOf(entity));
        fields.add(MODSTAMP);
        String channel = origin.channel();
        ResyncProgress progress = ResyncProgress.start(channel, entity);
        try {
            return resync(entity, condition, origin, fields, progress);
        } finally {
            progress.finished();
        }
    }

    private List<DialerCommand> resync(String entity, String condition, EventOrigin origin, List<String> fields,
            ResyncProgress progress) {
        String channel = origin.channel();
        SnapshotFences.Fence fence = fences.begin(channel);
        List<DialerCommand> commands = new ArrayList<>();
        List<Map<String, Object>> live = readAll(channel, "SELECT " + String.join(", ", fields) + " FROM " + entity
                + (condition == null || condition.isBlank() ? "" : " WHERE " + condition), false,
                progress, "live records");
        for (Map<String, Object> record : live) {
            fence.record(RecordIds.to18IfValid(WireValues.text(record.get("Id"))), modifiedAt(record));
            commands.addAll(isCampaignMember(entity) ? members.get().snapshotCommands(record, true, origin)
                    : people.snapshotCommands(record, entity, true, origin));
        }
        List<String> deletedFields = isCampaignMember(entity)
                ? withModstamp(CAMPAIGN_MEMBER_FIELDS) : List.of("Id", MODSTAMP);
        List<Map<String, Object>> deleted = readAll(channel, "SELECT " + String.join(", ", deletedFields) + " FROM "
                + entity + " WHERE IsDeleted = true", true, progress, "deleted records");
        for (Map<String, Object> record : deleted) {
            String id = WireValues.text(record.get("Id"));
            fence.record(RecordIds.to18IfValid(id), modifiedAt(record));
            commands.addAll(isCampaignMember(entity) ? members.get().deletedCommands(record, true, origin)
                    : people.goneCommands(id, true, origin));
        }
        LOG.info("Resynchronised {} on {}: {} records read again, {} deleted ones removed", entity, channel,
                live.size(), deleted.size());
        return commands;
    }

    /**
     * Whether the channel's last resync already holds what an event says about a record; see {@link SnapshotFences}.
     */
    boolean superseded(EventOrigin origin, String recordId, boolean delete) {
        return fences.superseded(origin.channel(), RecordIds.to18IfValid(recordId), origin.time(), delete);
    }

    /**
     * CampaignMembers as Salesforce has them, deleted ones included (their {@code IsDeleted} is true), by id; members
     * Salesforce has no trace of are absent.
     */
    Map<String, Map<String, Object>> campaignMembers(List<String> memberIds, EventOrigin origin) {
        // The ids were checked by RecordIds (base-62 only), so they can stand in the SOQL as they are.
        String soql = "SELECT " + String.join(", ", CAMPAIGN_MEMBER_FIELDS) + ", IsDeleted FROM CampaignMember"
                + " WHERE Id IN (" + memberIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", "))
                + ")";
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        for (Map<String, Object> record : readAll(origin.channel(), soql, true, null, null)) {
            found.put(RecordIds.to18IfValid(WireValues.text(record.get("Id"))), record);
        }
        return found;
    }

    /**
     * Every record a query selects, page after page, starting again if Salesforce releases the query locator.
     *
     * @param progress the resync's, told of each page; null when this is no resync
     */
    private List<Map<String, Object>> readAll(String channel, String soql, boolean includeDeleted,
            ResyncProgress progress, String what) {
        for (int restart = 0; ; restart++) {
            List<Map<String, Object>> all = new ArrayList<>();
            QueryPage page = retries.call(channel, soql, () -> includeDeleted ? records.queryAll(soql)
                    : records.query(soql));
            all.addAll(page.records());
            if (progress != null) {
                progress.query(what, page.totalSize());
                progress.read(page.records().size());
            }
            try {
                while (!page.done()) {
                    String next = page.nextRecordsUrl();
                    page = retries.call(channel, "the next batch of " + soql, () -> records.queryMore(next));
                    all.addAll(page.records());
                    if (progress != null) {
                        progress.read(page.records().size());
                    }
                }
                return all;
            } catch (RuntimeException failure) {
                if (restart >= LOCATOR_RESTARTS || !SalesforceCallRetries.hasErrorCode(failure,
                        "INVALID_QUERY_LOCATOR")) {
                    throw failure;
                }
                LOG.warn("Salesforce released the query locator of {} for {} after {} records; reading again from"
                        + " the first batch", soql, channel, all.size());
            }
        }
    }

    private List<String> fieldsOf(String entity) {
        return switch (entity == null ? "" : entity) {
            case "Contact", "Lead" -> PersonChange.queryFields(entity, rules);
            case "CampaignMember" -> CAMPAIGN_MEMBER_FIELDS;
            default -> throw new MappingException(Reason.UNSUPPORTED_EVENT, "no dialer mapping for entity " + entity);
        };
    }

    private static List<String> withModstamp(List<String> fields) {
        List<String> result = new ArrayList<>(fields);
        result.add(MODSTAMP);
        return result;
    }

    private static boolean isCampaignMember(String entity) {
        return "CampaignMember".equals(entity);
    }

    /** When the record last changed as the snapshot shows it: SystemModstamp, else LastModifiedDate. */
    private static Instant modifiedAt(Map<String, Object> record) {
        for (String field : List.of(MODSTAMP, "LastModifiedDate")) {
            Object value = record.get(field);
            if (value != null) {
                try {
                    return WireValues.instant(value, field);
                } catch (MappingException unreadable) {
                    // not fenced: an unreadable time cannot prove an event older
                }
            }
        }
        return null;
    }
}
