package io.dialerbridge.kafka;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The Kafka topics of the dialer contract; every name is a setting ({@code dialer.topics.*}). */
@ConfigurationProperties("dialer.topics")
public class DialerTopics {

    private String contactCommands = "dialer.contact-commands";
    private String campaignControl = "dialer.campaign-control";
    private String suppressions = "dialer.suppressions";
    private String dispositions = "dialer.dispositions";
    private String deadLetter = "dialer.dead-letter";
    private String replayCheckpoints = "dialer-bridge.replay-checkpoints";
    /** CampaignMember id to person and campaign, so member deletions can be mapped after a restart (compacted). */
    private String campaignMembers = "dialer-bridge.campaign-members";
    /** Person id to the dialable numbers Salesforce last showed, so suppressions carry them (compacted). */
    private String personNumbers = "dialer-bridge.person-numbers";
    /** Partitions for topics the bridge creates when they are missing. */
    private int partitions = 3;
    /** Replication factor for topics the bridge creates (1 for a single local broker). */
    private short replicationFactor = 1;
    /** Whether the bridge creates missing topics at start; turn off where topics are provisioned centrally. */
    private boolean create = true;

    public String getContactCommands() {
        return contactCommands;
    }

    public void setContactCommands(String contactCommands) {
        this.contactCommands = contactCommands;
    }

    public String getCampaignControl() {
        return campaignControl;
    }

    public void setCampaignControl(String campaignControl) {
        this.campaignControl = campaignControl;
    }

    public String getSuppressions() {
        return suppressions;
    }

    public void setSuppressions(String suppressions) {
        this.suppressions = suppressions;
    }

    public String getDispositions() {
        return dispositions;
    }

    public void setDispositions(String dispositions) {
        this.dispositions = dispositions;
    }

    public String getDeadLetter() {
        return deadLetter;
    }

    public void setDeadLetter(String deadLetter) {
        this.deadLetter = deadLetter;
    }

    public String getReplayCheckpoints() {
        return replayCheckpoints;
    }

    public void setReplayCheckpoints(String replayCheckpoints) {
        this.replayCheckpoints = replayCheckpoints;
    }

    public String getCampaignMembers() {
        return campaignMembers;
    }

    public void setCampaignMembers(String campaignMembers) {
        this.campaignMembers = campaignMembers;
    }

    public String getPersonNumbers() {
        return personNumbers;
    }

    public void setPersonNumbers(String personNumbers) {
        this.personNumbers = personNumbers;
    }

    public int getPartitions() {
        return partitions;
    }

    public void setPartitions(int partitions) {
        this.partitions = partitions;
    }

    public short getReplicationFactor() {
        return replicationFactor;
    }

    public void setReplicationFactor(short replicationFactor) {
        this.replicationFactor = replicationFactor;
    }

    public boolean isCreate() {
        return create;
    }

    public void setCreate(boolean create) {
        this.create = create;
    }
}
