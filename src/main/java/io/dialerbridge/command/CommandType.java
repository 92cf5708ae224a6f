package io.dialerbridge.command;

/** The command types of the dialer contract, each with its CloudEvents {@code type} and the topic it travels on. */
public enum CommandType {

    CONTACT_UPSERT("dialer.contact.upsert", CommandTopic.CONTACT_COMMANDS),
    CONTACT_SUPPRESS("dialer.contact.suppress", CommandTopic.CONTACT_COMMANDS),
    CONTACT_UNSUPPRESS("dialer.contact.unsuppress", CommandTopic.CONTACT_COMMANDS),
    CONTACT_REMOVE("dialer.contact.remove", CommandTopic.CONTACT_COMMANDS),
    CAMPAIGN_MEMBER_ADD("dialer.campaign-member.add", CommandTopic.CONTACT_COMMANDS),
    CAMPAIGN_MEMBER_REMOVE("dialer.campaign-member.remove", CommandTopic.CONTACT_COMMANDS),
    CAMPAIGN_PAUSE("dialer.campaign.pause", CommandTopic.CAMPAIGN_CONTROL),
    CAMPAIGN_RESUME("dialer.campaign.resume", CommandTopic.CAMPAIGN_CONTROL),
    CAMPAIGN_DIALING_MODE("dialer.campaign.dialing-mode", CommandTopic.CAMPAIGN_CONTROL),
    BROADCAST("dialer.broadcast", CommandTopic.CAMPAIGN_CONTROL);

    private static final String PREFIX = "dialer.";

    private final String ceType;
    private final CommandTopic topic;

    CommandType(String ceType, CommandTopic topic) {
        this.ceType = ceType;
        this.topic = topic;
    }

    /** The CloudEvents {@code type}, e.g. {@code dialer.contact.upsert}. */
    public String ceType() {
        return ceType;
    }

    public CommandTopic topic() {
        return topic;
    }

    /**
     * The tail that tells this command apart from an earlier command about the same record from the same event,
     * e.g. {@code contact.upsert}; see {@link EventOrigin}.
     */
    public String idSuffix() {
        return ceType.substring(PREFIX.length());
    }
}
