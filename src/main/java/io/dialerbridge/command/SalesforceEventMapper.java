package io.dialerbridge.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.command.MappingException.Reason;
import io.dialerbridge.command.phone.PhoneNormalizer;
import io.dialerbridge.salesforce.SalesforceRecords;
import io.dialerbridge.salesforce.stream.SalesforceEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.camel.Body;
import org.apache.camel.component.salesforce.api.dto.PlatformEvent;
import org.apache.camel.component.salesforce.api.utils.JsonUtils;

/**
 * The one bean every stream route calls: it reads a raw Salesforce event by its stream kind, checks its shape, hands
 * it to the mapper for that stream, and answers the events that carry no record (gap and overflow change events) by
 * reading the records over REST.
 */
public class SalesforceEventMapper {

    /** The CampaignMember fields refetched when a gap or overflow hides what changed (people: PersonChange). */
    static final List<String> CAMPAIGN_MEMBER_FIELDS = List.of("Id", "CampaignId", "LeadId", "ContactId", "Status");

    /** camel-salesforce's own mapper, which knows how its PlatformEvent DTO reads dates. */
    private static final ObjectMapper PLATFORM_EVENTS = JsonUtils.createObjectMapper();

    private final Supplier<String> orgId;
    private final MappingRules rules;
    private final PhoneNormalizer phones;
    private final CampaignMembershipIndex memberships;
    private final SalesforceRecords records;
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
        this.orgId = orgId;
        this.rules = rules;
        this.phones = phones;
        this.memberships = memberships;
        this.records = records;
        this.leads = new LeadTopicMapper(rules, phones);
        this.people = new ChangeEventMapper(rules, phones);
        this.members = new CampaignMemberChangeMapper(rules, memberships);
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
                yield leads.commands(WireValues.text(header.get("type")), object(data, "sobject", "data.sobject"),
                        origin);
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
            return resync(entity, origin);
        }
        if (ChangeEventMapper.isGap(changeType)) {
            return refetch(entity, recordIds, origin);
        }
        ChangeEvent change = new ChangeEvent(changeType, entity, recordIds, null, payload, origin);
        return "CampaignMember".equals(entity) ? members.commands(change) : people.commands(change);
    }

    /** A gap event says a record changed but not how: read it as it is now, or remove it if it is gone. */
    private List<DialerCommand> refetch(String entity, List<String> recordIds, EventOrigin origin) {
        boolean fannedOut = recordIds.size() > 1;
        List<DialerCommand> commands = new ArrayList<>();
        for (String recordId : recordIds) {
            Optional<Map<String, Object>> current = records.fetch(entity, recordId, fieldsOf(entity));
            if ("CampaignMember".equals(entity)) {
                commands.addAll(current.isPresent() ? members.snapshotCommands(current.get(), fannedOut, origin)
                        : members.goneCommands(recordId, fannedOut, origin));
            } else if (current.isPresent()) {
                commands.addAll(people.snapshotCommands(current.get(), entity, fannedOut, origin));
            } else {
                commands.addAll(people.goneCommands(recordId, fannedOut, origin));
            }
        }
        return commands;
    }

    /**
     * An overflow event (or a replay position Salesforce no longer retains) means changes to the entity were lost:
     * read every record of it again and send each as a full upsert.
     */
    private List<DialerCommand> resync(String entity, EventOrigin origin) {
        List<DialerCommand> commands = new ArrayList<>();
        for (Map<String, Object> record : records.all(entity, fieldsOf(entity))) {
            if ("CampaignMember".equals(entity)) {
                commands.addAll(members.snapshotCommands(record, true, origin));
            } else {
                commands.addAll(people.snapshotCommands(record, entity, true, origin));
            }
        }
        return commands;
    }

    private List<String> fieldsOf(String entity) {
        return switch (entity == null ? "" : entity) {
            case "Contact", "Lead" -> PersonChange.queryFields(entity, rules);
            case "CampaignMember" -> CAMPAIGN_MEMBER_FIELDS;
            default -> throw new MappingException(Reason.UNSUPPORTED_EVENT, "no dialer mapping for entity " + entity);
        };
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
