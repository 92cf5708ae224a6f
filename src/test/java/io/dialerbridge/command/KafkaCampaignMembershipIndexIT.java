package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.CONTACT_2;
import static io.dialerbridge.command.EventFixtures.MEMBER;
import static io.dialerbridge.command.EventFixtures.MEMBER_2;
import static io.dialerbridge.command.EventFixtures.MEMBER_3;
import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.local.kafka.EmbeddedKafkaBroker;
import io.dialerbridge.table.KafkaCompactedTopic;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The membership index answers which campaigns a person is in, also after a restart, deleted members left out. */
class KafkaCampaignMembershipIndexIT {

    private static final String OTHER_CAMPAIGN = "7015f000000AbCeAAK";

    private static EmbeddedKafkaBroker broker;

    private String topic;

    @BeforeAll
    static void startKafka() {
        broker = EmbeddedKafkaBroker.builder().port(0).start();
    }

    @AfterAll
    static void stopKafka() {
        broker.close();
    }

    @BeforeEach
    void newTopic() {
        topic = "dialer-bridge.campaign-members." + UUID.randomUUID();
        broker.createTopics(List.of(new NewTopic(topic, 3, (short) 1).configs(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))));
    }

    private KafkaCampaignMembershipIndex index() {
        Properties settings = new Properties();
        settings.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaCampaignMembershipIndex(() -> new KafkaCompactedTopic(topic, settings, settings));
    }

    @Nested
    class MembershipsOfAPerson {

        @Test
        void areTheMembersNotDeleted() {
            try (KafkaCampaignMembershipIndex index = index()) {
                index.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
                index.remember(MEMBER_2, new CampaignMembership(CONTACT, OTHER_CAMPAIGN, "Sent"));
                index.remember(MEMBER_3, new CampaignMembership(CONTACT_2, CAMPAIGN, "Sent"));
                index.forget(MEMBER_2);

                assertThat(index.membershipsOf(CONTACT)).containsOnlyKeys(MEMBER);
                assertThat(index.find(MEMBER_2)).isPresent();
            }
        }

        @Test
        void surviveARestartWithTheDeletedOnesStillLeftOut() {
            try (KafkaCampaignMembershipIndex index = index()) {
                index.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
                index.remember(MEMBER_2, new CampaignMembership(CONTACT, OTHER_CAMPAIGN, "Sent"));
                index.forget(MEMBER_2);
            }

            try (KafkaCampaignMembershipIndex restarted = index()) {
                assertThat(restarted.membershipsOf(CONTACT))
                        .containsExactly(Map.entry(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent")));
            }
        }

        @Test
        void includeAMemberCreatedAgainAfterItsDelete() {
            try (KafkaCampaignMembershipIndex index = index()) {
                index.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
                index.forget(MEMBER);
                index.remember(MEMBER, new CampaignMembership(CONTACT, CAMPAIGN, "Responded"));

                assertThat(index.membershipsOf(CONTACT)).containsOnlyKeys(MEMBER);
            }
        }
    }
}
