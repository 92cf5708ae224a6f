package io.dialerbridge.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.dialerbridge.command.phone.NormalizedPhone;
import io.dialerbridge.command.phone.PhoneNormalizer;

/**
 * What one Salesforce event says about one Lead or Contact, in the contract's terms. It holds the merge-patch values,
 * which contract fields changed, the dialable phones, and the Do Not Call and converted flags when the event states
 * them.
 *
 * <p>A field counts as stated when it is present in the event body (CometD CDC updates carry only changed fields,
 * cleared ones as explicit {@code null}; PushTopic and REST records carry every selected field) and, when the
 * Salesforce {@code changedFields} list is known, also listed there. Compound {@code Name} parts are read from the
 * nested {@code Name} object CDC sends as well as from flat {@code FirstName}/{@code LastName}.
 */
record PersonChange(String recordId, String recordType, Map<String, Object> values, List<String> changedFields,
        List<String> dialablePhones, Boolean doNotCall, Boolean converted, String convertedContactId) {

    static final String DO_NOT_CALL = "DoNotCall";
    static final String IS_CONVERTED = "IsConverted";
    static final String CONVERTED_CONTACT_ID = "ConvertedContactId";

    /** Contract field name, then the Salesforce paths it can come from, in order of preference. */
    private enum PersonField {
        FIRST_NAME("firstName", "FirstName", "Name.FirstName"),
        LAST_NAME("lastName", "LastName", "Name.LastName"),
        EMAIL("email", "Email"),
        STATUS("status", "Status"),
        OWNER_ID("ownerId", "OwnerId");

        final String contractName;
        final List<String> salesforcePaths;

        PersonField(String contractName, String... salesforcePaths) {
            this.contractName = contractName;
            this.salesforcePaths = List.of(salesforcePaths);
        }
    }

    private static final List<PersonField> LEAD_FIELDS = List.of(PersonField.values());
    private static final List<PersonField> CONTACT_FIELDS = Arrays.stream(PersonField.values())
            .filter(field -> field != PersonField.STATUS).toList();

    PersonChange {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        changedFields = List.copyOf(changedFields);
        dialablePhones = List.copyOf(dialablePhones);
    }

    /**
     * Reads a person from an event body.
     *
     * @param fields        the Salesforce fields as camel delivers them
     * @param changedFields Salesforce's {@code changedFields} when known, otherwise {@code null}
     * @param fillAbsent    whether a field missing from the body means empty, as in CDC CREATE and UNDELETE bodies,
     *                      which leave out empty fields; the patch then clears it with {@code null}
     */
    static PersonChange read(Map<String, Object> fields, Collection<String> changedFields, String recordId,
            String recordType, boolean fillAbsent, MappingRules rules, PhoneNormalizer phoneNormalizer) {
        Stated stated = new Stated(fields, changedFields);
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> changed = new ArrayList<>();
        for (PersonField field : fieldsOf(recordType)) {
            String path = stated.first(field.salesforcePaths);
            if (path != null) {
                values.put(field.contractName, WireValues.text(stated.get(path)));
                changed.add(field.contractName);
            } else if (fillAbsent) {
                values.put(field.contractName, null);
            }
        }
        Map<String, Object> phones = new LinkedHashMap<>();
        Set<String> dialable = new LinkedHashSet<>();
        for (String phoneField : rules.getPhoneFields()) {
            if (stated.has(phoneField)) {
                String raw = WireValues.text(stated.get(phoneField));
                if (raw == null) {
                    phones.put(phoneField, null);
                } else {
                    NormalizedPhone phone = phoneNormalizer.normalize(raw, recordId, phoneField);
                    phones.put(phoneField, phone.toData());
                    if (phone.isNormalized()) {
                        dialable.add(phone.e164());
                    }
                }
                changed.add(phoneField);
            } else if (fillAbsent) {
                phones.put(phoneField, null);
            }
        }
        if (!phones.isEmpty()) {
            values.put("phones", Collections.unmodifiableMap(phones));
        }
        Boolean doNotCall = stated.has(DO_NOT_CALL) ? WireValues.bool(stated.get(DO_NOT_CALL), DO_NOT_CALL) : null;
        Boolean converted = stated.has(IS_CONVERTED) ? WireValues.bool(stated.get(IS_CONVERTED), IS_CONVERTED) : null;
        String convertedContactId = stated.has(CONVERTED_CONTACT_ID)
                ? RecordIds.to18IfValid(WireValues.text(stated.get(CONVERTED_CONTACT_ID))) : null;
        return new PersonChange(recordId, recordType, values, changed, new ArrayList<>(dialable), doNotCall,
                converted, convertedContactId);
    }

    /**
     * The fields to query when a person must be read whole over REST (a gap or overflow hid what changed): everything
     * {@link #read} uses, the configured phone fields included.
     */
    static List<String> queryFields(String recordType, MappingRules rules) {
        List<String> fields = new ArrayList<>(List.of("Id"));
        fieldsOf(recordType).forEach(field -> fields.add(field.salesforcePaths.get(0)));
        fields.addAll(rules.getPhoneFields());
        fields.add(DO_NOT_CALL);
        if (recordType.equals("Lead")) {
            fields.add(IS_CONVERTED);
            fields.add(CONVERTED_CONTACT_ID);
        }
        return fields;
    }

    /** The contract fields a record type has: Contacts have no status. */
    private static List<PersonField> fieldsOf(String recordType) {
        return recordType.equals("Contact") ? CONTACT_FIELDS : LEAD_FIELDS;
    }

    /** The status when the event states it. */
    Optional<String> status() {
        return values.containsKey(PersonField.STATUS.contractName)
                ? Optional.ofNullable((String) values.get(PersonField.STATUS.contractName))
                : Optional.empty();
    }

    /** Whether the event states the status, cleared ones included. */
    boolean statesStatus() {
        return values.containsKey(PersonField.STATUS.contractName);
    }

    /** Whether the event changes nothing the dialer keeps about the person. */
    boolean isEmpty() {
        return values.isEmpty();
    }

    /** Which fields of a body count as stated: present, and listed in changedFields when that list is known. */
    private record Stated(Map<String, Object> fields, Collection<String> changedFields) {

        boolean has(String path) {
            if (changedFields != null && !changedFields.contains(path)) {
                return false;
            }
            int dot = path.indexOf('.');
            if (dot < 0) {
                return fields.containsKey(path);
            }
            return fields.get(path.substring(0, dot)) instanceof Map<?, ?> compound
                    && compound.containsKey(path.substring(dot + 1));
        }

        /** The first of these paths the body states, or {@code null}. */
        String first(List<String> paths) {
            for (String path : paths) {
                if (has(path)) {
                    return path;
                }
            }
            return null;
        }

        Object get(String path) {
            int dot = path.indexOf('.');
            if (dot < 0) {
                return fields.get(path);
            }
            return ((Map<?, ?>) fields.get(path.substring(0, dot))).get(path.substring(dot + 1));
        }
    }
}
