package io.dialerbridge.command;

import java.util.Map;
import java.util.Optional;

/**
 * Remembers which person and campaign each CampaignMember id stands for. Updates and deletes carry only the member id
 * and the changed fields; the index lets them still be keyed by the person.
 */
public interface CampaignMembershipIndex {

    Optional<CampaignMembership> find(String memberId);

    void remember(String memberId, CampaignMembership membership);

    void forget(String memberId);

    /**
     * The memberships of one person that are not deleted, by member id, whatever the DNC guard let through: what the
     * dialer must be told again when the person's suppression lifts.
     */
    Map<String, CampaignMembership> membershipsOf(String personId);
}
