package io.dialerbridge.emulator.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.dialerbridge.emulator.EmulatorSettings;
import io.dialerbridge.emulator.data.ChangeType;
import io.dialerbridge.emulator.data.IdGenerator;
import io.dialerbridge.emulator.data.RecordStore;
import io.dialerbridge.emulator.data.SObjectType;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The CometD body rules of Change Data Capture events, as the emulator writes them. */
class ChangeEventPublisherTest {

    private static final String USER = "005000000000001AAA";
    private static final String CHANNEL = "/data/ContactChangeEvent";

    private EventBus bus;
    private RecordStore records;
    private ChangeEventPublisher publisher;

    @BeforeEach
    void setUp() {
        bus = new EventBus(EmulatorSettings.dialerOrg());
        records = new RecordStore(new IdGenerator(), Clock.systemUTC());
        publisher = new ChangeEventPublisher(bus);
        records.addListener(publisher::onCommit);
    }

    private String create(Map<String, Object> fields) {
        RecordStore.Transaction transaction = records.begin(USER, "com/salesforce/api/rest/56.0;client=test");
        String id = transaction.create(SObjectType.CONTACT, fields);
        transaction.commit();
        return id;
    }

    private void update(String id, Map<String, Object> fields) {
        RecordStore.Transaction transaction = records.begin(USER, "com/salesforce/api/rest/56.0;client=test");
        transaction.update(SObjectType.CONTACT, id, fields);
        transaction.commit();
    }

    private List<Map<String, Object>> payloads() {
        return bus.eventsAfter(CHANNEL, 0, Integer.MAX_VALUE).stream()
                .map(event -> payload(event.data()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(Map<String, Object> data) {
        return (Map<String, Object>) data.get("payload");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(Map<String, Object> payload) {
        return (Map<String, Object>) payload.get("ChangeEventHeader");
    }

    @Nested
    class Bodies {

        @Test
        void createCarriesEveryNonEmptyFieldTheSystemFieldsAndTheCompoundName() {
            String id = create(Map.of("FirstName", "Ada", "LastName", "Lovelace", "Phone", "+14155550134"));

            Map<String, Object> payload = payloads().get(0);
            assertThat(payload.get("Name")).isEqualTo(Map.of("FirstName", "Ada", "LastName", "Lovelace"));
            assertThat(payload).containsEntry("Phone", "+14155550134").containsEntry("DoNotCall", false)
                    .containsKeys("CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "OwnerId")
                    .doesNotContainKeys("Id", "IsDeleted", "SystemModstamp", "FirstName", "LastName", "Email");
            assertThat((String) payload.get("CreatedDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            Map<String, Object> header = header(payload);
            assertThat(header).containsEntry("entityName", "Contact").containsEntry("changeType", "CREATE")
                    .containsEntry("recordIds", List.of(id)).containsEntry("changedFields", List.of())
                    .containsEntry("commitUser", USER).containsEntry("sequenceNumber", 1)
                    .containsEntry("changeOrigin", "com/salesforce/api/rest/56.0;client=test");
            assertThat(header.keySet()).containsExactly("entityName", "recordIds", "changeType", "changeOrigin",
                    "transactionKey", "sequenceNumber", "commitTimestamp", "commitNumber", "commitUser",
                    "changedFields");
        }

        @Test
        void updateCarriesOnlyWhatChangedWithNullsForClearedFields() {
            String id = create(Map.of("FirstName", "Ada", "LastName", "Lovelace", "Phone", "+14155550134"));
            Map<String, Object> change = new HashMap<>();
            change.put("Phone", null);
            change.put("LastName", "King");
            change.put("FirstName", "Ada");
            update(id, change);

            Map<String, Object> payload = payloads().get(1);
            assertThat(payload.keySet()).containsExactlyInAnyOrder("Phone", "Name", "LastModifiedDate",
                    "ChangeEventHeader");
            assertThat(payload.get("Phone")).isNull();
            assertThat(payload.get("Name")).isEqualTo(Map.of("LastName", "King"));
            assertThat(header(payload).get("changedFields")).isEqualTo(List.of("Name.LastName", "Phone",
                    "LastModifiedDate"));
        }

        @Test
        void deleteCarriesTheHeaderAloneAndUndeleteEveryField() {
            String id = create(Map.of("LastName", "Lovelace"));
            RecordStore.Transaction delete = records.begin(USER, "");
            delete.delete(SObjectType.CONTACT, id);
            delete.commit();
            RecordStore.Transaction undelete = records.begin(USER, "");
            undelete.undelete(id);
            undelete.commit();

            assertThat(payloads().get(1).keySet()).containsExactly("ChangeEventHeader");
            assertThat(header(payloads().get(1))).containsEntry("changeType", "DELETE");
            assertThat(header(payloads().get(2))).containsEntry("changeType", "UNDELETE");
            assertThat(payloads().get(2)).containsEntry("Name", Map.of("LastName", "Lovelace"));
        }

        @Test
        void everyEventAlsoGoesToTheAllChangesChannelUnderTheSameReplayId() {
            create(Map.of("LastName", "Lovelace"));

            assertThat(bus.eventsAfter(ChangeEventPublisher.ALL_CHANGES_CHANNEL, 0, Integer.MAX_VALUE))
                    .extracting(StreamingEvent::replayId)
                    .containsExactlyElementsOf(bus.eventsAfter(CHANNEL, 0, Integer.MAX_VALUE).stream()
                            .map(StreamingEvent::replayId).toList());
        }
    }

    @Nested
    class Transactions {

        @Test
        void identicalChangesToSeveralRecordsInOneTransactionShareOneEvent() {
            String first = create(Map.of("LastName", "First"));
            String second = create(Map.of("LastName", "Second"));
            RecordStore.Transaction bulk = records.begin(USER, "");
            bulk.update(SObjectType.CONTACT, first, Map.of("Title", "VP"));
            bulk.update(SObjectType.CONTACT, second, Map.of("Title", "VP"));
            bulk.commit();

            assertThat(payloads()).hasSize(3);
            assertThat(header(payloads().get(2)).get("recordIds")).isEqualTo(List.of(first, second));
        }

        @Test
        void differentChangesInOneTransactionStaySeparateWithSequenceNumbers() {
            String first = create(Map.of("LastName", "First"));
            String second = create(Map.of("LastName", "Second"));
            RecordStore.Transaction bulk = records.begin(USER, "");
            bulk.update(SObjectType.CONTACT, first, Map.of("Title", "VP"));
            bulk.update(SObjectType.CONTACT, second, Map.of("Title", "CEO"));
            bulk.commit();

            assertThat(payloads()).hasSize(4);
            assertThat(header(payloads().get(2)).get("transactionKey"))
                    .isEqualTo(header(payloads().get(3)).get("transactionKey"));
            assertThat(header(payloads().get(3))).containsEntry("sequenceNumber", 2);
        }
    }

    @Nested
    class GapsAndOverflow {

        @Test
        void gapAndOverflowEventsCarryOnlyTheHeader() {
            String id = create(Map.of("LastName", "Lovelace"));
            publisher.publishGap(SObjectType.CONTACT, id, ChangeType.UPDATE, USER, Instant.now());
            publisher.publishOverflow(SObjectType.CONTACT, USER, Instant.now());

            assertThat(payloads().get(1).keySet()).containsExactly("ChangeEventHeader");
            assertThat(header(payloads().get(1))).containsEntry("changeType", "GAP_UPDATE")
                    .containsEntry("recordIds", List.of(id));
            assertThat(header(payloads().get(2))).containsEntry("changeType", "GAP_OVERFLOW")
                    .containsEntry("recordIds", List.of("000000000000000AAA"));
        }
    }
}
