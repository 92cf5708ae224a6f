package io.dialerbridge.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dialerbridge.replay.CompactedTable;
import io.dialerbridge.replay.KafkaCompactedTopic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which person and campaign each CampaignMember id stands for, kept in a compacted topic: a CampaignMember DELETE
 * event carries only the member id, and the bridge must still know whom to take out of which campaign after a
 * restart. A deleted member stays known (marked deleted), so a redelivered DELETE maps to the same remove.
 */
public class KafkaCampaignMembershipIndex implements CampaignMembershipIndex, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, CampaignMembership> members = new ConcurrentHashMap<>();
    private final CompactedTable table;

    public KafkaCampaignMembershipIndex(Supplier<KafkaCompactedTopic> storage) {
        this.table = new CompactedTable(storage,
                rows -> rows.forEach((memberId, value) -> members.put(memberId, parse(value))));
    }

    /** Reads the topic whole; the start does this before any route runs ({@code CompactedTables}). */
    public void load() {
        table.topic();
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
        topic().write(memberId, format(membership, false));
    }

    @Override
    public void forget(String memberId) {
        CampaignMembership last = members.get(memberId);
        if (last != null) {
            topic().write(memberId, format(last, true));
        }
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
