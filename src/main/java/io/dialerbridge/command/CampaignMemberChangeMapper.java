package io.dialerbridge.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.dialerbridge.command.MappingException.Reason;

/**
 * Turns CampaignMember change events into campaign-membership commands keyed by the person. Deletes and most updates do
 * not say who the member was, so it remembers each member in a {@link CampaignMembershipIndex}.
 *
 * <p>The person is the member's Contact when it has one, otherwise its Lead: when a Lead is converted Salesforce
 * fills in the member's {@code ContactId}, and the dialer then gets a remove for the Lead and an add for the
 * Contact. A member whose status is one of the remove statuses, whether created so or changed to it, yields a
 * {@code .remove}; any other status an {@code .add}.
 *
 * <p>An update or delete of a member the index does not know (one that existed before the bridge first started, or
 * whose create was lost) is resolved through {@link MemberRecords}: Salesforce is asked for the member as it is now,
 * deleted ones included, and the dialer gets what that record means: a {@code .remove} for a deleted member or one
 * in a remove status, otherwise an {@code .add} (after a {@code .remove} for the Lead when the update converted it).
 * Only a member Salesforce has no trace of fails the whole event with {@code UNKNOWN_MEMBER}, and the index is then
 * left as it was.
 */
public class CampaignMemberChangeMapper {

    private static final String ENTITY = "CampaignMember";

    /** Reads CampaignMembers the index does not know from Salesforce. */
    @FunctionalInterface
    public interface MemberRecords {
        /**
         * The members Salesforce has, deleted ones included, by 18-character id, with at least {@code Id},
         * {@code CampaignId}, {@code LeadId}, {@code ContactId}, {@code Status} and {@code IsDeleted}; members it has
         * no trace of are absent.
         */
        Map<String, Map<String, Object>> find(List<String> memberIds, EventOrigin origin);
    }

    private final MappingRules rules;
    private final CampaignMembershipIndex index;
    private final MemberRecords salesforce;

    /** Without a way to ask Salesforce: an unknown member is {@code UNKNOWN_MEMBER}. */
    public CampaignMemberChangeMapper(MappingRules rules, CampaignMembershipIndex index) {
        this(rules, index, (memberIds, origin) -> Map.of());
    }

    public CampaignMemberChangeMapper(MappingRules rules, CampaignMembershipIndex index, MemberRecords salesforce) {
        this.rules = rules;
        this.index = index;
        this.salesforce = salesforce;
    }

    /** The commands for one CampaignMember CDC event; updates the index only when the whole event maps. */
    public List<DialerCommand> commands(ChangeEvent event) {
        if (!ENTITY.equals(event.entityName())) {
            throw new MappingException(Reason.UNSUPPORTED_EVENT,
                    "expected CampaignMember change events, got " + event.entityName());
        }
        List<String> memberIds = new ArrayList<>();
        for (String recordId : event.recordIds()) {
            memberIds.add(RecordIds.of(RecordIds.CAMPAIGN_MEMBER_PREFIX, recordId, "record id"));
        }
        List<DialerCommand> commands = new ArrayList<>();
        Map<String, CampaignMembership> remembered = new LinkedHashMap<>();
        List<String> forgotten = new ArrayList<>();
        switch (event.changeType()) {
            case "CREATE", "UNDELETE" -> {
                CampaignMembership membership = membershipOf(event.fields());
                for (String memberId : memberIds) {
                    EventCommands memberCommands = new EventCommands(event.origin(), memberId, event.fannedOut());
                    membershipCommand(memberCommands, membership);
                    commands.addAll(memberCommands.list());
                    remembered.put(memberId, membership);
                }
            }
            case "UPDATE" -> {
                Map<String, CampaignMembership> known = knownMembers(memberIds);
                Map<String, Map<String, Object>> resolved = resolveUnknown(memberIds, known, event);
                for (String memberId : memberIds) {
                    EventCommands memberCommands = new EventCommands(event.origin(), memberId, event.fannedOut());
                    if (resolved.containsKey(memberId)) {
                        Map<String, Object> record = resolved.get(memberId);
                        if (unknownMemberUpdated(memberCommands, record, event)) {
                            remembered.put(memberId, membershipOf(record));
                        } else {
                            forgotten.add(memberId);
                        }
                        commands.addAll(memberCommands.list());
                        continue;
                    }
                    CampaignMembership before = known.get(memberId);
                    CampaignMembership after = updated(before, event);
                    if (!after.personId().equals(before.personId())) {
                        removeCommand(memberCommands, before);
                        if (!rules.isCampaignMemberRemoveStatus(after.status())) {
                            membershipCommand(memberCommands, after);
                        }
                    } else if (stated(event, "Status")) {
                        membershipCommand(memberCommands, after);
                    }
                    commands.addAll(memberCommands.list());
                    if (!after.equals(before)) {
                        remembered.put(memberId, after);
                    }
                }
            }
            case "DELETE" -> {
                Map<String, CampaignMembership> known = new LinkedHashMap<>(knownMembers(memberIds));
                resolveUnknown(memberIds, known, event).forEach((memberId, record) ->
                        known.put(memberId, membershipOf(record)));
                for (String memberId : memberIds) {
                    EventCommands memberCommands = new EventCommands(event.origin(), memberId, event.fannedOut());
                    removeCommand(memberCommands, known.get(memberId));
                    commands.addAll(memberCommands.list());
                    forgotten.add(memberId);
                }
            }
            default -> throw new MappingException(Reason.UNSUPPORTED_EVENT,
                    ChangeEventMapper.isGap(event.changeType())
                            ? event.changeType() + " carries no fields; the route must refetch " + event.recordIds()
                            : "unknown change type " + event.changeType());
        }
        remembered.forEach(index::remember);
        forgotten.forEach(index::forget);
        return commands;
    }

    /**
     * A member read over REST because a gap or an overflow hid its change: handled as a CREATE, with command ids that
     * carry the member id when one event stands for many members.
     */
    public List<DialerCommand> snapshotCommands(Map<String, Object> member, boolean fannedOut, EventOrigin origin) {
        String memberId = RecordIds.of(RecordIds.CAMPAIGN_MEMBER_PREFIX, member.get("Id"), "Id");
        CampaignMembership membership = membershipOf(member);
        EventCommands memberCommands = new EventCommands(origin, memberId, fannedOut);
        membershipCommand(memberCommands, membership);
        index.remember(memberId, membership);
        return memberCommands.list();
    }

    /**
     * A member a gap event named that Salesforce no longer has: a remove for the person and campaign the index
     * remembers, with a command id that carries the member id when the gap event named several records.
     */
    public List<DialerCommand> goneCommands(String recordId, boolean fannedOut, EventOrigin origin) {
        String memberId = RecordIds.of(RecordIds.CAMPAIGN_MEMBER_PREFIX, recordId, "record id");
        CampaignMembership known = index.find(memberId)
                .or(() -> Optional.ofNullable(salesforce.find(List.of(memberId), origin).get(memberId))
                        .map(CampaignMemberChangeMapper::membershipOf))
                .orElseThrow(() -> new MappingException(Reason.UNKNOWN_MEMBER, "CampaignMember " + memberId
                        + " is gone from Salesforce, which keeps no trace of it, and the bridge has not seen it"));
        EventCommands memberCommands = new EventCommands(origin, memberId, fannedOut);
        removeCommand(memberCommands, known);
        index.forget(memberId);
        return memberCommands.list();
    }

    /**
     * A member a resync found in the recycle bin: a remove for its person and campaign, with a command id that
     * carries the member id.
     */
    public List<DialerCommand> deletedCommands(Map<String, Object> member, boolean fannedOut, EventOrigin origin) {
        String memberId = RecordIds.of(RecordIds.CAMPAIGN_MEMBER_PREFIX, member.get("Id"), "Id");
        EventCommands memberCommands = new EventCommands(origin, memberId, fannedOut);
        removeCommand(memberCommands, membershipOf(member));
        index.forget(memberId);
        return memberCommands.list();
    }

    /**
     * The commands for an update of a member the bridge never saw, as Salesforce has it now: removed when deleted
     * since or in a remove status, otherwise added (after a remove for its Lead when the update converted it).
     *
     * @return whether the member still exists, to be remembered
     */
    private boolean unknownMemberUpdated(EventCommands commands, Map<String, Object> record, ChangeEvent event) {
        CampaignMembership current = membershipOf(record);
        if (isDeleted(record)) {
            removeCommand(commands, current);
            return false;
        }
        Optional<CampaignMembership> lead = convertedLead(event, record, current);
        lead.ifPresent(converted -> removeCommand(commands, converted));
        // one remove per member and event: a converted member in a remove status was never added for its Contact
        if (lead.isEmpty() || !rules.isCampaignMemberRemoveStatus(current.status())) {
            membershipCommand(commands, current);
        }
        return true;
    }

    /** The members the index does not know, read from Salesforce; fails when Salesforce has no trace of one. */
    private Map<String, Map<String, Object>> resolveUnknown(List<String> memberIds,
            Map<String, CampaignMembership> known, ChangeEvent event) {
        List<String> unknown = memberIds.stream().filter(memberId -> !known.containsKey(memberId)).toList();
        if (unknown.isEmpty()) {
            return Map.of();
        }
        Map<String, Map<String, Object>> found = salesforce.find(unknown, event.origin());
        List<String> untraced = unknown.stream().filter(memberId -> !found.containsKey(memberId)).toList();
        if (!untraced.isEmpty()) {
            throw new MappingException(Reason.UNKNOWN_MEMBER, event.changeType() + " for CampaignMember "
                    + String.join(", ", untraced) + " that the bridge has not seen and Salesforce keeps no trace of");
        }
        Map<String, Map<String, Object>> resolved = new LinkedHashMap<>();
        unknown.forEach(memberId -> resolved.put(memberId, found.get(memberId)));
        return resolved;
    }

    /** The Lead a member was until this update converted it: the update states ContactId and the record has both. */
    private static Optional<CampaignMembership> convertedLead(ChangeEvent event, Map<String, Object> record,
            CampaignMembership current) {
        Object leadId = WireValues.text(record.get("LeadId"));
        if (!stated(event, "ContactId") || leadId == null || WireValues.text(record.get("ContactId")) == null) {
            return Optional.empty();
        }
        return Optional.of(new CampaignMembership(RecordIds.person(leadId, "LeadId"), current.campaignId(),
                current.status()));
    }

    private static boolean isDeleted(Map<String, Object> record) {
        return Boolean.TRUE.equals(WireValues.bool(record.get("IsDeleted"), "IsDeleted"));
    }

    private static CampaignMembership membershipOf(Map<String, Object> fields) {
        String campaignId = RecordIds.of(RecordIds.CAMPAIGN_PREFIX, fields.get("CampaignId"), "CampaignId");
        Object contactId = WireValues.text(fields.get("ContactId"));
        String personId = contactId != null ? RecordIds.person(contactId, "ContactId")
                : RecordIds.person(fields.get("LeadId"), "LeadId or ContactId");
        return new CampaignMembership(personId, campaignId, WireValues.text(fields.get("Status")));
    }

    private static CampaignMembership updated(CampaignMembership before, ChangeEvent event) {
        String personId = before.personId();
        if (stated(event, "ContactId") && WireValues.text(event.fields().get("ContactId")) != null) {
            personId = RecordIds.person(event.fields().get("ContactId"), "ContactId");
        }
        String status = stated(event, "Status") ? WireValues.text(event.fields().get("Status")) : before.status();
        return new CampaignMembership(personId, before.campaignId(), status);
    }

    private Map<String, CampaignMembership> knownMembers(List<String> memberIds) {
        Map<String, CampaignMembership> known = new LinkedHashMap<>();
        for (String memberId : memberIds) {
            index.find(memberId).ifPresent(membership -> known.put(memberId, membership));
        }
        return known;
    }

    private static boolean stated(ChangeEvent event, String field) {
        return event.fields().containsKey(field)
                && (event.changedFields() == null || event.changedFields().contains(field));
    }

    private void membershipCommand(EventCommands commands, CampaignMembership membership) {
        if (rules.isCampaignMemberRemoveStatus(membership.status())) {
            removeCommand(commands, membership);
        } else {
            commands.add(CommandType.CAMPAIGN_MEMBER_ADD, membership.personId(), membership.personId(),
                    data(membership));
        }
    }

    private static void removeCommand(EventCommands commands, CampaignMembership membership) {
        commands.add(CommandType.CAMPAIGN_MEMBER_REMOVE, membership.personId(), membership.personId(),
                data(membership));
    }

    private static Map<String, Object> data(CampaignMembership membership) {
        Objects.requireNonNull(membership, "membership");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", membership.personId());
        data.put("campaignId", membership.campaignId());
        data.put("memberStatus", membership.status());
        return data;
    }
}
