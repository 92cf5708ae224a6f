package io.dialerbridge.command;

import static io.dialerbridge.command.EventFixtures.CAMPAIGN;
import static io.dialerbridge.command.EventFixtures.CONTACT;
import static io.dialerbridge.command.EventFixtures.LEAD;
import static io.dialerbridge.command.EventFixtures.LEAD_2;
import static io.dialerbridge.command.EventFixtures.MEMBER;
import static io.dialerbridge.command.EventFixtures.MEMBER_2;
import static io.dialerbridge.command.EventFixtures.MEMBER_3;
import static io.dialerbridge.command.EventFixtures.map;
import static io.dialerbridge.command.EventFixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;

import io.dialerbridge.command.MappingException.Reason;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CampaignMemberChangeMapperTest {

    private static final String CHANNEL = "/data/CampaignMemberChangeEvent";
    private static final long COMMIT_TIMESTAMP = 1714156685000L;

    private final CampaignMembershipIndex index = new InMemoryCampaignMembershipIndex();
    private final CampaignMemberChangeMapper mapper = new CampaignMemberChangeMapper(new MappingRules(), index);

    /** A CampaignMember CREATE body: ChangeEventHeader removed by camel, empty fields (ContactId) left out. */
    private final Map<String, Object> createdMember = map(
            "CampaignId", CAMPAIGN,
            "LeadId", LEAD,
            "Status", "Sent",
            "HasResponded", false,
            "CreatedDate", "2024-04-26T18:38:05.000Z",
            "LastModifiedDate", "2024-04-26T18:38:05.000Z");

    private List<DialerCommand> deliver(String changeType, long replayId, Object recordIds,
            Map<String, Object> body) {
        return CamelShapedInput.memberChange(mapper, body, changeType, "CampaignMember", recordIds, COMMIT_TIMESTAMP, replayId, CHANNEL);
    }

    private static Map<String, Object> updated(Object... changes) {
        return with(map("LastModifiedDate", "2024-04-26T19:00:00.000Z"), changes);
    }

    @Nested
    class Create {

        @Test
        void addsThePersonKeyedByThePerson() {
            assertThat(deliver("CREATE", 7L, List.of(MEMBER), createdMember)).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_ADD);
                assertThat(command.topic()).isEqualTo(CommandTopic.CONTACT_COMMANDS);
                assertThat(command.key()).isEqualTo(LEAD);
                assertThat(command.subject()).isEqualTo(LEAD);
                assertThat(command.id()).isEqualTo("/data/CampaignMemberChangeEvent:7");
                assertThat(command.kafkaHeaders()).containsEntry("ce_type", "dialer.campaign-member.add")
                        .containsEntry("ce_source", "/salesforce/00D000000000001AAA/data/CampaignMemberChangeEvent");
                assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("campaignId", CAMPAIGN),
                        entry("memberStatus", "Sent"));
            });
            assertThat(index.find(MEMBER)).contains(new CampaignMembership(LEAD, CAMPAIGN, "Sent"));
        }

        @Test
        void prefersTheContactOfAConvertedLead() {
            assertThat(deliver("CREATE", 7L, List.of(MEMBER), with(createdMember, "ContactId", CONTACT)))
                    .singleElement().extracting(DialerCommand::key).isEqualTo(CONTACT);
        }

        @Test
        void removesAMemberCreatedWithARemoveStatus() {
            assertThat(deliver("CREATE", 7L, List.of(MEMBER), with(createdMember, "Status", "Opted Out")))
                    .singleElement().extracting(DialerCommand::type).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
        }

        @Test
        void needsTheCampaignAndThePerson() {
            Map<String, Object> noCampaign = with(createdMember);
            noCampaign.remove("CampaignId");
            Map<String, Object> noPerson = with(createdMember);
            noPerson.remove("LeadId");

            assertThatThrownBy(() -> deliver("CREATE", 7L, List.of(MEMBER), noCampaign))
                    .isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD);
                        assertThat(e).hasMessageContaining("CampaignId");
                    });
            assertThatThrownBy(() -> deliver("CREATE", 7L, List.of(MEMBER), noPerson))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_FIELD));
            assertThat(index.find(MEMBER)).isEmpty();
        }
    }

    @Nested
    class Update {

        @Test
        void addsWithTheNewStatus() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);

            assertThat(deliver("UPDATE", 8L, List.of(MEMBER), updated("Status", "Responded"))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_ADD);
                        assertThat(command.key()).isEqualTo(LEAD);
                        assertThat(command.data()).containsExactly(entry("recordId", LEAD),
                                entry("campaignId", CAMPAIGN), entry("memberStatus", "Responded"));
                    });
            assertThat(index.find(MEMBER)).contains(new CampaignMembership(LEAD, CAMPAIGN, "Responded"));
        }

        @Test
        void removesOnARemoveStatus() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);

            assertThat(deliver("UPDATE", 8L, List.of(MEMBER), updated("Status", "Removed"))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                        assertThat(command.data()).containsEntry("memberStatus", "Removed");
                    });
        }

        @Test
        void yieldsNothingWhenNeitherStatusNorPersonChanged() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);

            assertThat(deliver("UPDATE", 8L, List.of(MEMBER), updated("HasResponded", true))).isEmpty();
        }

        @Test
        void movesTheMembershipFromTheLeadToItsContactOnConversion() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);

            List<DialerCommand> commands = deliver("UPDATE", 8L, List.of(MEMBER), updated("ContactId", CONTACT));

            assertThat(commands).extracting(DialerCommand::type, DialerCommand::key, DialerCommand::id).containsExactly(
                    tuple(CommandType.CAMPAIGN_MEMBER_REMOVE, LEAD, "/data/CampaignMemberChangeEvent:8"),
                    tuple(CommandType.CAMPAIGN_MEMBER_ADD, CONTACT,
                            "/data/CampaignMemberChangeEvent:8:campaign-member.add"));
            assertThat(index.find(MEMBER)).contains(new CampaignMembership(CONTACT, CAMPAIGN, "Sent"));
        }

        @Test
        void failsForAnUnknownMemberAndChangesNothing() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);

            assertThatThrownBy(() -> deliver("UPDATE", 8L, new Object[] {MEMBER, MEMBER_2},
                    updated("Status", "Removed"))).isInstanceOfSatisfying(MappingException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_MEMBER);
                        assertThat(e).hasMessageContaining(MEMBER_2).hasMessageNotContaining(MEMBER + ",");
                    });
            assertThat(index.find(MEMBER)).contains(new CampaignMembership(LEAD, CAMPAIGN, "Sent"));
        }
    }

    @Nested
    class Delete {

        @Test
        void removesWithTheLastKnownStatusAndForgetsTheMember() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);

            assertThat(deliver("DELETE", 9L, List.of(MEMBER), map())).singleElement().satisfies(command -> {
                assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                assertThat(command.key()).isEqualTo(LEAD);
                assertThat(command.id()).isEqualTo("/data/CampaignMemberChangeEvent:9");
                assertThat(command.data()).containsExactly(entry("recordId", LEAD), entry("campaignId", CAMPAIGN),
                        entry("memberStatus", "Sent"));
            });
            assertThat(index.find(MEMBER)).isEmpty();
        }

        @Test
        void failsForAMemberTheBridgeNeverSaw() {
            assertThatThrownBy(() -> deliver("DELETE", 9L, List.of(MEMBER), map()))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_MEMBER));
        }

        @Test
        void fansOutAMassRemovalOneCommandPerMember() {
            deliver("CREATE", 7L, List.of(MEMBER), createdMember);
            deliver("CREATE", 8L, List.of(MEMBER_2), with(createdMember, "LeadId", LEAD_2));
            deliver("CREATE", 9L, List.of(MEMBER_3), with(createdMember, "ContactId", CONTACT));

            List<DialerCommand> commands = deliver("DELETE", 10L, new Object[] {MEMBER, MEMBER_2, MEMBER_3}, map());

            assertThat(commands).extracting(DialerCommand::key, DialerCommand::id).containsExactly(
                    tuple(LEAD, "/data/CampaignMemberChangeEvent:10:00v5f00000Q1w2EAAR"),
                    tuple(LEAD_2, "/data/CampaignMemberChangeEvent:10:00v5f00000Q1w2FAAR"),
                    tuple(CONTACT, "/data/CampaignMemberChangeEvent:10:00v5f00000Q1w2GAAR"));
        }
    }

    /** Members that existed before the bridge first started: it never saw them, Salesforce still has them. */
    @Nested
    class UnknownMembers {

        private final Map<String, Map<String, Object>> salesforce = new java.util.LinkedHashMap<>();
        private final List<List<String>> asked = new java.util.ArrayList<>();
        private final CampaignMemberChangeMapper resolving = new CampaignMemberChangeMapper(new MappingRules(), index,
                (memberIds, origin) -> {
                    asked.add(memberIds);
                    Map<String, Map<String, Object>> found = new java.util.LinkedHashMap<>();
                    memberIds.stream().filter(salesforce::containsKey).forEach(id -> found.put(id, salesforce.get(id)));
                    return found;
                });

        private Map<String, Object> member(String id, String leadId, String contactId, String status,
                boolean deleted) {
            Map<String, Object> record = new java.util.LinkedHashMap<>();
            record.put("Id", id);
            record.put("CampaignId", CAMPAIGN);
            record.put("LeadId", leadId);
            record.put("ContactId", contactId);
            record.put("Status", status);
            record.put("IsDeleted", deleted);
            return record;
        }

        private List<DialerCommand> deliver(String changeType, long replayId, Object recordIds,
                Map<String, Object> body) {
            return CamelShapedInput.memberChange(resolving, body, changeType, "CampaignMember", recordIds,
                    COMMIT_TIMESTAMP, replayId, CHANNEL);
        }

        @Test
        void anOptOutIsReadFromSalesforceAndRemovesTheMember() {
            salesforce.put(MEMBER, member(MEMBER, LEAD, null, "Opted Out", false));

            assertThat(deliver("UPDATE", 20L, List.of(MEMBER), updated("Status", "Opted Out"))).singleElement()
                    .satisfies(command -> {
                        assertThat(command.type()).isEqualTo(CommandType.CAMPAIGN_MEMBER_REMOVE);
                        assertThat(command.key()).isEqualTo(LEAD);
                        assertThat(command.data()).containsEntry("campaignId", CAMPAIGN)
                                .containsEntry("memberStatus", "Opted Out");
                    });
            assertThat(index.find(MEMBER)).contains(new CampaignMembership(LEAD, CAMPAIGN, "Opted Out"));
        }

        @Test
        void anUpdateToAnotherStatusAddsTheMemberAsSalesforceHasIt() {
            salesforce.put(MEMBER, member(MEMBER, LEAD, null, "Responded", false));

            assertThat(deliver("UPDATE", 21L, List.of(MEMBER), updated("Status", "Responded")))
                    .extracting(DialerCommand::type).containsExactly(CommandType.CAMPAIGN_MEMBER_ADD);
        }

        @Test
        void aConversionRemovesTheLeadAndAddsTheContact() {
            salesforce.put(MEMBER, member(MEMBER, LEAD, CONTACT, "Sent", false));

            assertThat(deliver("UPDATE", 22L, List.of(MEMBER), updated("ContactId", CONTACT)))
                    .extracting(DialerCommand::type, DialerCommand::key).containsExactly(
                            tuple(CommandType.CAMPAIGN_MEMBER_REMOVE, LEAD),
                            tuple(CommandType.CAMPAIGN_MEMBER_ADD, CONTACT));
        }

        @Test
        void aDeleteIsResolvedFromTheRecycleBinAndOnlyTheUnknownMembersAreAskedFor() {
            deliver("CREATE", 23L, List.of(MEMBER), createdMember);
            salesforce.put(MEMBER_2, member(MEMBER_2, LEAD_2, null, "Sent", true));

            assertThat(deliver("DELETE", 24L, new Object[] {MEMBER, MEMBER_2}, map()))
                    .extracting(DialerCommand::type, DialerCommand::key).containsExactly(
                            tuple(CommandType.CAMPAIGN_MEMBER_REMOVE, LEAD),
                            tuple(CommandType.CAMPAIGN_MEMBER_REMOVE, LEAD_2));
            assertThat(asked).containsExactly(List.of(MEMBER_2));
            assertThat(index.find(MEMBER_2)).isEmpty();
        }

        @Test
        void anUpdateOfAMemberDeletedSinceRemovesIt() {
            salesforce.put(MEMBER, member(MEMBER, null, CONTACT, "Sent", true));

            assertThat(deliver("UPDATE", 25L, List.of(MEMBER), updated("Status", "Sent")))
                    .extracting(DialerCommand::type, DialerCommand::key)
                    .containsExactly(tuple(CommandType.CAMPAIGN_MEMBER_REMOVE, CONTACT));
            assertThat(index.find(MEMBER)).isEmpty();
        }

        @Test
        void onlyAMemberSalesforceKeepsNoTraceOfIsUnknown() {
            assertThatThrownBy(() -> deliver("DELETE", 26L, List.of(MEMBER_3), map()))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_MEMBER));
        }
    }

    @Nested
    class Rejections {

        @Test
        void anotherEntityOrAGap() {
            assertThatThrownBy(() -> CamelShapedInput.memberChange(mapper, createdMember, "CREATE", "Contact", List.of(MEMBER),
                    COMMIT_TIMESTAMP, 7L, CHANNEL)).isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_EVENT));
            assertThatThrownBy(() -> deliver("GAP_DELETE", 7L, List.of(MEMBER), map()))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_EVENT));
        }

        @Test
        void aRecordIdThatIsNotAMember() {
            assertThatThrownBy(() -> deliver("CREATE", 7L, List.of(LEAD), createdMember))
                    .isInstanceOfSatisfying(MappingException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ID));
        }
    }
}
