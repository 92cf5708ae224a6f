package io.dialerbridge.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.salesforce.SalesforceCallRetries;
import io.dialerbridge.salesforce.SalesforceRecords;
import io.dialerbridge.salesforce.stream.SalesforceEvent;
import io.dialerbridge.salesforce.stream.SalesforceStreamConsumer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;
import org.apache.camel.component.salesforce.api.utils.JsonUtils;

/**
 * The one bean every stream route calls. It reads a raw Salesforce event by its stream kind, checks its shape, and
 * hands it to the mapper for that stream; events that carry no record (gap and overflow change events, the resync a
 * consumer requests after an expired checkpoint) go to {@link ChangeRecovery}, which reads the records over REST. A
 * PushTopic or change event that a resync's snapshot already holds is skipped (see {@link SnapshotFences}).
 */
public class SalesforceEventMapper {

    /** camel-salesforce's own mapper, which knows how its PlatformEvent DTO reads dates. */
    private static final ObjectMapper PLATFORM_EVENTS = JsonUtils.createObjectMapper();

    private final Supplier<String> orgId;
    private final ChangeRecovery recovery;
    private final LeadTopicMapper leads;
    private final ChangeEventMapper people;
    private final CampaignMemberChangeMapper members;
    private final CampaignControlParser control = new CampaignControlParser();
    private volatile String org;

    /**
     * @param orgId the org the events come from; read on first use, because it is known only after login
     */
    public SalesforceEventMapper(Supplier<String> orgId, MappingRules rules, PhoneNormalizer phones,
            CampaignMembershipIndex memberships, SalesforceRecords records) {
        this(orgId, rules, phones, memberships, records, SalesforceCallRetries.untilInterrupted());
    }

    /**
     * @param orgId   the org the events come from; read on first use, because it is known only after login
     * @param retries how REST calls that meet a transient failure are repeated
     */
    public SalesforceEventMapper(Supplier<String> orgId, MappingRules rules, PhoneNormalizer phones,
            CampaignMembershipIndex memberships, SalesforceRecords records, SalesforceCallRetries retries) {
        this.orgId = orgId;
        this.leads = new LeadTopicMapper(rules, phones);
        this.people = new ChangeEventMapper(rules, phones);
        this.recovery = new ChangeRecovery(rules, records, retries, people, this::campaignMembers);
        this.members = new CampaignMemberChangeMapper(rules, memberships, recovery::campaignMembers);
    }

    /** The CampaignMember mapper, for the recovery, which is made before it. */
    private CampaignMemberChangeMapper campaignMembers() {
        return members;
    }

    /** The org id, read on first use (after camel's login) and then kept. */
    private String orgId() {
        String current = org;
        if (current == null) {
            current = orgId.get();
            org = current;
        }
        return current;
    }

    /** The commands one event produces, in the order they must reach the dialer. */
    public List<DialerCommand> map(@Body SalesforceEvent event) {
        if (event.replayId() == null) {
            throw new MappingException(Reason.MISSING_FIELD, "the event has no data.event.replayId");
        }
        Map<String, Object> data = event.data();
        return switch (event.kind()) {
            case PUSH_TOPIC -> {
                Map<String, Object> header = object(data, "event", "data.event");
                EventOrigin origin = new EventOrigin(orgId(), event.channel(), event.replayId(),
                        WireValues.instant(header.get("createdDate"), "data.event.createdDate"));
                String type = WireValues.text(header.get("type"));
                Map<String, Object> sobject = object(data, "sobject", "data.sobject");
                String recordId = WireValues.text(sobject.get("Id"));
                if (recordId != null && recovery.superseded(origin, recordId, "deleted".equals(type))) {
                    yield List.of();
                }
                yield leads.commands(type, sobject, origin);
            }
            case GENERIC -> {
                Map<String, Object> header = object(data, "event", "data.event");
                if (!(data.get("payload") instanceof String payload)) {
                    throw new MappingException(Reason.MISSING_FIELD, "data.payload is not a string");
                }
                EventOrigin origin = new EventOrigin(orgId(), event.channel(), event.replayId(),
                        WireValues.instant(header.get("createdDate"), "data.event.createdDate"));
                yield List.of(control.parse(payload, origin));
            }
            case PLATFORM_EVENT -> {
                PlatformEvent platformEvent;
                try {
                    platformEvent = PLATFORM_EVENTS.convertValue(object(data, "payload", "data.payload"), PlatformEvent.class);
                } catch (IllegalArgumentException e) {
                    throw new MappingException(Reason.INVALID_VALUE, "data.payload is not a flat platform event: "
                            + e.getMessage());
                }
                yield List.of(new DialerCommandEventMapper(orgId()).command(platformEvent, event.channel(), event.replayId()));
            }
            case CHANGE_DATA_CAPTURE -> changeEvent(event);
        };
    }

    private List<DialerCommand> changeEvent(SalesforceEvent event) {
        Map<String, Object> payload = new java.util.LinkedHashMap<>(object(event.data(), "payload", "data.payload"));
        Object rawHeader = payload.remove("ChangeEventHeader");
        if (!(rawHeader instanceof Map<?, ?>)) {
            throw new MappingException(Reason.MISSING_FIELD, "data.payload.ChangeEventHeader is missing");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> header = (Map<String, Object>) rawHeader;
        String changeType = WireValues.text(header.get("changeType"));
        String entity = WireValues.text(header.get("entityName"));
        EventOrigin origin = new EventOrigin(orgId(), event.channel(), event.replayId(),
                WireValues.instant(header.get("commitTimestamp"), "ChangeEventHeader.commitTimestamp"));
        List<String> recordIds = WireValues.strings(header.get("recordIds"), "ChangeEventHeader.recordIds");
        if (ChangeEventMapper.isOverflow(changeType)) {
            String condition = WireValues.text(header.get(SalesforceStreamConsumer.RESYNC_CONDITION));
            return recovery.resync(entity, condition, origin);
        }
        if (ChangeEventMapper.isGap(changeType)) {
            return recovery.refetch(entity, recordIds, origin);
        }
        ChangeEvent change = new ChangeEvent(changeType, entity, recordIds, null, payload, origin);
        Set<String> superseded = new HashSet<>();
        for (String recordId : change.recordIds()) {
            if (recovery.superseded(origin, recordId, "DELETE".equals(changeType))) {
                superseded.add(RecordIds.to18IfValid(recordId));
            }
        }
        if (superseded.size() == change.recordIds().size()) {
            return List.of();
        }
        List<DialerCommand> commands = "CampaignMember".equals(entity) ? members.commands(change)
                : people.commands(change);
        if (superseded.isEmpty()) {
            return commands;
        }
        // Mapped whole, so the other records' command ids stay what they are without a resync; a fanned-out id
        // names its record right after the event id.
        String prefix = origin.eventId() + ":";
        return commands.stream().filter(command -> !superseded.contains(
                command.id().substring(prefix.length()).split(":", 2)[0])).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> parent, String field, String path) {
        Object value = parent.get(field);
        if (!(value instanceof Map<?, ?>)) {
            throw new MappingException(Reason.MISSING_FIELD, path + " is missing or not an object");
        }
        return (Map<String, Object>) value;
    }
}
