package io.dialerbridge.salesforce.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PubSubEventReaderTest {

    /** Salesforce's Pub/Sub CDC layout, trimmed: the header first, a compound address at index 4. */
    private static final Schema ACCOUNT = new Schema.Parser().parse("""
            {"type":"record","name":"AccountChangeEvent","namespace":"com.sforce.eventbus","fields":[
             {"name":"ChangeEventHeader","type":{"type":"record","name":"ChangeEventHeader","fields":[
               {"name":"entityName","type":"string"},
               {"name":"recordIds","type":{"type":"array","items":"string"}},
               {"name":"changeType","type":{"type":"enum","name":"ChangeType","symbols":["CREATE","UPDATE","DELETE",
                 "UNDELETE","GAP_CREATE","GAP_UPDATE","GAP_DELETE","GAP_UNDELETE","GAP_OVERFLOW"]}},
               {"name":"commitTimestamp","type":"long"},
               {"name":"nulledFields","type":{"type":"array","items":"string"}},
               {"name":"diffFields","type":{"type":"array","items":"string"}},
               {"name":"changedFields","type":{"type":"array","items":"string"}}]}},
             {"name":"Name","type":["null","string"],"default":null},
             {"name":"Type","type":["null","string"],"default":null},
             {"name":"Phone","type":["null","string"],"default":null},
             {"name":"BillingAddress","type":["null",{"type":"record","name":"Address","fields":[
               {"name":"Street","type":["null","string"],"default":null},
               {"name":"City","type":["null","string"],"default":null}]}],"default":null},
             {"name":"LastModifiedDate","type":["null","long"],"doc":"LastModifiedDate:DateTime","default":null}]}
            """);

    private static final Schema COMMAND = new Schema.Parser().parse("""
            {"type":"record","name":"Dialer_Command__e","namespace":"com.sforce.eventbus","fields":[
             {"name":"CreatedDate","type":"long","doc":"CreatedDate:DateTime"},
             {"name":"CreatedById","type":"string","doc":"CreatedBy:EntityId"},
             {"name":"Command__c","type":["null","string"],"doc":"Data:Text","default":null},
             {"name":"Record_Id__c","type":["null","string"],"doc":"Data:Text","default":null}]}
            """);

    @Nested
    class Bitmaps {

        @Test
        void salesforcesOwnExampleNamesTheFieldAndThePartOfTheCompound() {
            // Salesforce's documented example, over its Account field order (22 = LastModifiedDate).
            Schema wide = wideSchema(23, 4);
            assertThat(PubSubEventReader.fieldNames(wide, List.of("0x400000", "4-0x01")))
                    .containsExactly("F4.Street", "F22");
        }

        @Test
        void bitZeroIsTheHeaderAndEmptyListsNameNothing() {
            assertThat(PubSubEventReader.fieldNames(ACCOUNT, List.of("0x0A"))).containsExactly("Name", "Phone");
            assertThat(PubSubEventReader.fieldNames(ACCOUNT, List.of())).isEmpty();
        }
    }

    @Nested
    class ChangeEvents {

        @Test
        void anUpdateCarriesOnlyWhatItsBitmapsNameWithFieldNamesAsCometdListsThem() {
            GenericRecord event = changeEvent("UPDATE", List.of("0x0A", "4-0x01"), List.of("0x08"));
            event.put("Name", "Acme");
            event.put("Type", "ignored: not in changedFields");
            GenericRecord address = new GenericData.Record(ACCOUNT.getField("BillingAddress").schema().getTypes()
                    .get(1));
            address.put("Street", "415 Mission Street");
            event.put("BillingAddress", address);
            event.put("LastModifiedDate", 1714156703000L);

            Map<String, Object> data = PubSubEventReader.data(ACCOUNT, "schema-1", avro(event), 42L, "uuid-1");

            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) data.get("payload");
            @SuppressWarnings("unchecked")
            Map<String, Object> header = (Map<String, Object>) payload.get("ChangeEventHeader");
            assertThat(header).containsEntry("changeType", "UPDATE").containsEntry("commitTimestamp", 1714156703000L)
                    .containsEntry("recordIds", List.of("001000000000001AAA"));
            assertThat(header.get("changedFields")).isEqualTo(List.of("Name", "Phone", "BillingAddress.Street"));
            assertThat(header.get("nulledFields")).isEqualTo(List.of("Phone"));
            assertThat(payload).containsEntry("Name", "Acme").containsEntry("Phone", null)
                    .containsEntry("BillingAddress", Map.of("Street", "415 Mission Street"))
                    .doesNotContainKeys("Type", "LastModifiedDate");
            assertThat(data.get("event")).isEqualTo(Map.of("replayId", 42L, "EventUuid", "uuid-1"));
        }

        @Test
        void aCreateCarriesItsNonNullFieldsAndDateTimesAsCometdWritesThem() {
            GenericRecord event = changeEvent("CREATE", List.of(), List.of());
            event.put("Name", "Acme");
            event.put("LastModifiedDate", 1714156703000L);

            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) PubSubEventReader
                    .data(ACCOUNT, "schema-1", avro(event), 7L, null).get("payload");

            assertThat(payload).containsEntry("Name", "Acme")
                    .containsEntry("LastModifiedDate", "2024-04-26T18:38:23.000Z")
                    .doesNotContainKeys("Type", "Phone", "BillingAddress");
        }
    }

    @Test
    void aPlatformEventIsFlatWithItsCreatedDateAsText() {
        GenericRecord event = new GenericData.Record(COMMAND);
        event.put("CreatedDate", 1714156703000L);
        event.put("CreatedById", "005000000000001AAA");
        event.put("Command__c", "SUPPRESS_RECORD");

        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) PubSubEventReader
                .data(COMMAND, "schema-2", avro(event), 9L, "uuid-2").get("payload");

        assertThat(payload).containsEntry("CreatedDate", "2024-04-26T18:38:23.000Z")
                .containsEntry("Command__c", "SUPPRESS_RECORD").containsEntry("Record_Id__c", null);
    }

    @Test
    void aPayloadThatIsNotAvroOfTheSchemaIsRefused() {
        assertThatThrownBy(() -> PubSubEventReader.data(COMMAND, "schema-2", new byte[] {1}, 9L, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema-2");
    }

    @Test
    void replayIdBytesAreTheNumberCometdShows() {
        assertThat(StreamPositions.numberOf(StreamPositions.bytesOf(1_234_567L))).isEqualTo(1_234_567L);
        assertThat(StreamPositions.numberOf(new byte[9])).isNull();
    }

    private static GenericRecord changeEvent(String type, List<String> changed, List<String> nulled) {
        Schema headerSchema = ACCOUNT.getField("ChangeEventHeader").schema();
        GenericRecord header = new GenericData.Record(headerSchema);
        header.put("entityName", "Account");
        header.put("recordIds", List.of("001000000000001AAA"));
        header.put("changeType", new GenericData.EnumSymbol(headerSchema.getField("changeType").schema(), type));
        header.put("commitTimestamp", 1714156703000L);
        header.put("nulledFields", nulled);
        header.put("diffFields", List.of());
        header.put("changedFields", changed);
        GenericRecord event = new GenericData.Record(ACCOUNT);
        event.put("ChangeEventHeader", header);
        return event;
    }

    /** A schema of {@code count} nullable string fields F0…, field {@code compoundAt} a record with a Street part. */
    private static Schema wideSchema(int count, int compoundAt) {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < count; i++) {
            fields.append(i == 0 ? "" : ",");
            fields.append(i == compoundAt
                    ? "{\"name\":\"F" + i + "\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"A\",\"fields\":"
                            + "[{\"name\":\"Street\",\"type\":[\"null\",\"string\"]}]}]}"
                    : "{\"name\":\"F" + i + "\",\"type\":[\"null\",\"string\"]}");
        }
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"W\",\"fields\":[" + fields + "]}");
    }

    private static byte[] avro(GenericRecord record) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
