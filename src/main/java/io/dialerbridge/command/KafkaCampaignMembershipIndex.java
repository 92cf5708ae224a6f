package io.dialerbridge.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.table.CompactedTable;
import io.dialerbridge.table.KafkaCompactedTopic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The campaign-membership index kept in a compacted topic. A CampaignMember DELETE event carries only the member id,
 * and the bridge must still know whom to take out of which campaign after a restart. A deleted member stays known
 * (marked deleted), so a redelivered DELETE maps to the same remove.
 */
public class KafkaCampaignMembershipIndex implements CampaignMembershipIndex, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CampaignMembership> members = new ConcurrentHashMap<>();
    /** The members known to be deleted; kept apart so find still answers for them. */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final CompactedTable table;

    public KafkaCampaignMembershipIndex(Supplier<KafkaCompactedTopic> storage) {
        this.table = new CompactedTable(storage,
                rows -> rows.forEach((memberId, value) -> {
                    members.put(memberId, parse(value));
                    if (isDeleted(value)) {
                        deleted.add(memberId);
                    }
                }));
    }

    /** Reads the topic whole; the start does this before any route runs ({@code CompactedTables}). */
    public void load() {
        table.topic();
    }

    /** Reads the topic again: a bridge taking over leadership knows the memberships the old leader recorded. */
    public void catchUp() {
        table.catchUp();
    }

    private KafkaCompactedTopic topic() {
        return table.topic();
    }

    @Override
    public Optional<CampaignMembership> find(String memberId) {
        topic();
        return Optional.ofNullable(members.get(memberId));
    }

    @Override
    public void remember(String memberId, CampaignMembership membership) {
        members.put(memberId, membership);
        deleted.remove(memberId);
        topic().write(memberId, format(membership, false));
    }

    @Override
    public void forget(String memberId) {
        CampaignMembership last = members.get(memberId);
        if (last != null) {
            deleted.add(memberId);
            topic().write(memberId, format(last, true));
        }
    }

    @Override
    public Map<String, CampaignMembership> membershipsOf(String personId) {
        topic();
        Map<String, CampaignMembership> of = new TreeMap<>();
        members.forEach((memberId, membership) -> {
            if (membership.personId().equals(personId) && !deleted.contains(memberId)) {
                of.put(memberId, membership);
            }
        });
        return of;
    }

    @Override
    public void close() {
        table.close();
    }

    private static String format(CampaignMembership membership, boolean deleted) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("personId", membership.personId());
        value.put("campaignId", membership.campaignId());
        value.put("status", membership.status());
        value.put("deleted", deleted);
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isDeleted(String value) {
        try {
            return JSON.readTree(value).path("deleted").asBoolean(false);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable campaign membership: " + value, e);
        }
    }

    private static CampaignMembership parse(String value) {
        try {
            JsonNode node = JSON.readTree(value);
            return new CampaignMembership(node.get("personId").asText(), node.get("campaignId").asText(),
                    node.hasNonNull("status") ? node.get("status").asText() : null);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable campaign membership: " + value, e);
        }
    }
}
