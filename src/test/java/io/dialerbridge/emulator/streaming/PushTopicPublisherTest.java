package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.IdGenerator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** PushTopic notifications: which changes wake a topic and what the event carries. */
class PushTopicPublisherTest {

    private static final String CHANNEL = "/topic/DialerLeads";
    private static final String USER = "005000000000001AAA";

    private final EmulatorSettings settings = EmulatorSettings.dialerOrg();
    private EventBus bus;
    private RecordStore records;

    @BeforeEach
    void setUp() {
        bus = new EventBus(settings);
        records = new RecordStore(new IdGenerator(), Clock.systemUTC());
        records.addListener(new PushTopicPublisher(records, bus)::onCommit);
    }

    private void topic(String query, Map<String, Object> options) {
        Map<String, Object> fields = new HashMap<>(options);
        fields.put("Name", "DialerLeads");
        fields.put("Query", query);
        fields.put("ApiVersion", 56.0);
        RecordStore.Transaction transaction = records.begin(USER, "");
        transaction.create(SObjectType.PUSH_TOPIC, fields);
        transaction.commit();
    }

    private String createLead(Map<String, Object> fields) {
        RecordStore.Transaction transaction = records.begin(USER, "");
        String id = transaction.create(SObjectType.LEAD, fields);
        transaction.commit();
        return id;
    }

    private void update(String id, Map<String, Object> fields) {
        RecordStore.Transaction transaction = records.begin(USER, "");
        transaction.update(SObjectType.LEAD, id, fields);
        transaction.commit();
    }

    private List<Map<String, Object>> events() {
        return bus.eventsAfter(CHANNEL, 0, Integer.MAX_VALUE).stream().map(StreamingEvent::data).toList();
    }

    @SuppressWarnings("unchecked")
    private static String type(Map<String, Object> data) {
        return (String) ((Map<String, Object>) data.get("event")).get("type");
    }

    @Nested
    class Operations {

        @BeforeEach
        void defineTopic() {
            topic("SELECT Id, FirstName, Phone, DoNotCall FROM Lead", Map.of());
        }

        @Test
        void createUpdateDeleteAndUndeleteEachNotify() {
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical", "Phone", "+14155550134"));
            update(id, Map.of("Phone", "+14155550199"));
            RecordStore.Transaction delete = records.begin(USER, "");
            delete.delete(SObjectType.LEAD, id);
            delete.commit();
            RecordStore.Transaction undelete = records.begin(USER, "");
            undelete.undelete(id);
            undelete.commit();

            assertThat(events()).extracting(PushTopicPublisherTest::type)
                    .containsExactly("created", "updated", "deleted", "undeleted");
        }

        @Test
        @SuppressWarnings("unchecked")
        void theSobjectHoldsExactlyTheSelectedFieldsWithNullsPresent() {
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));

            Map<String, Object> data = events().get(0);
            Map<String, Object> sobject = (Map<String, Object>) data.get("sobject");
            assertThat(sobject).containsOnlyKeys("Id", "FirstName", "Phone", "DoNotCall");
            assertThat(sobject).containsEntry("Id", id).containsEntry("FirstName", null)
                    .containsEntry("DoNotCall", false);
            Map<String, Object> event = (Map<String, Object>) data.get("event");
            assertThat((String) event.get("createdDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.get("replayId")).isInstanceOf(Long.class);
        }

        @Test
        void anUpdateOfAFieldTheQueryDoesNotReferenceIsNotNotified() {
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));
            update(id, Map.of("Email", "ada@example.com"));

            assertThat(events()).extracting(PushTopicPublisherTest::type).containsExactly("created");
        }
    }

    @Nested
    class NotifyForFields {

        @Test
        void selectIgnoresChangesToWhereOnlyFields() {
            topic("SELECT Id, Phone FROM Lead WHERE Status != 'Closed'",
                    Map.of("NotifyForFields", "Select"));
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));
            update(id, Map.of("Status", "Working"));
            update(id, Map.of("Phone", "+14155550134"));

            assertThat(events()).extracting(PushTopicPublisherTest::type).containsExactly("created", "updated");
        }

        @Test
        void whereNotifiesOnlyForChangesToWhereFields() {
            topic("SELECT Id, Phone FROM Lead WHERE Status != 'Closed'", Map.of("NotifyForFields", "Where"));
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));
            update(id, Map.of("Phone", "+14155550134"));
            update(id, Map.of("Status", "Working"));

            assertThat(events()).extracting(PushTopicPublisherTest::type).containsExactly("created", "updated");
        }

        @Test
        void allNotifiesForAnyChange() {
            topic("SELECT Id, Phone FROM Lead", Map.of("NotifyForFields", "All"));
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));
            update(id, Map.of("Title", "Countess"));

            assertThat(events()).extracting(PushTopicPublisherTest::type).containsExactly("created", "updated");
        }

        @Test
        void aChangedFirstNameCountsAsAChangeOfTheCompoundName() {
            topic("SELECT Id, Name FROM Lead", Map.of("NotifyForFields", "Select"));
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));
            update(id, Map.of("FirstName", "Ada"));

            assertThat(events()).extracting(PushTopicPublisherTest::type).containsExactly("created", "updated");
        }
    }

    @Nested
    class WhereClauseAndOperations {

        @Test
        void recordsOutsideTheWhereClauseAreNotNotified() {
            topic("SELECT Id FROM Lead WHERE DoNotCall = false", Map.of());
            createLead(Map.of("LastName", "Callable", "Company", "A"));
            createLead(Map.of("LastName", "Blocked", "Company", "B", "DoNotCall", true));

            assertThat(events()).hasSize(1);
        }

        @Test
        void disabledOperationsAreNotNotified() {
            topic("SELECT Id, Phone FROM Lead", Map.of("NotifyForOperationCreate", false,
                    "NotifyForOperationUpdate", true));
            String id = createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));
            update(id, Map.of("Phone", "+14155550134"));

            assertThat(events()).extracting(PushTopicPublisherTest::type).containsExactly("updated");
        }

        @Test
        void inactiveTopicsAreSilent() {
            topic("SELECT Id, Phone FROM Lead", Map.of("IsActive", false));
            createLead(Map.of("LastName", "Lovelace", "Company", "Analytical"));

            assertThat(events()).isEmpty();
        }
    }
}
