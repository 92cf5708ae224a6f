package io.dialerbridge.command;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CampaignMembershipIndex} that lives and dies with the process; after a restart every earlier member is
 * unknown, so it suits tests and local runs until a durable index replaces it.
 */
public class InMemoryCampaignMembershipIndex implements CampaignMembershipIndex {

    private final Map<String, CampaignMembership> members = new ConcurrentHashMap<>();

    @Override
    public Optional<CampaignMembership> find(String memberId) {
        return Optional.ofNullable(members.get(memberId));
    }

    @Override
    public void remember(String memberId, CampaignMembership membership) {
        members.put(memberId, membership);
    }

    @Override
    public void forget(String memberId) {
        members.remove(memberId);
    }

    @Override
    public Map<String, CampaignMembership> membershipsOf(String personId) {
        Map<String, CampaignMembership> of = new TreeMap<>();
        members.forEach((memberId, membership) -> {
            if (membership.personId().equals(personId)) {
                of.put(memberId, membership);
            }
        });
        return of;
    }
}
