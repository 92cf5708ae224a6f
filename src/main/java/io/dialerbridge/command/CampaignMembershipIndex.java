package io.dialerbridge.command;

import java.util.Optional;

/**
 * Remembers which person and campaign each CampaignMember id stands for, so that updates and deletes, which carry
 * only the member id and the changed fields, can still be keyed by the person.
 */
public interface CampaignMembershipIndex {

    Optional<CampaignMembership> find(String memberId);

    void remember(String memberId, CampaignMembership membership);

    void forget(String memberId);
}
