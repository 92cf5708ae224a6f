package io.dialerbridge.suppression;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One row of the bridge's {@code dialer-bridge.person-numbers} table, the dialable numbers Salesforce last showed for a
 * person. They are kept by phone field, so a suppress can name every number of the person even when its event carries
 * none, and a number's suppression can stop campaign adds of everyone who has it.
 *
 * @param personId the Lead or Contact
 * @param phones   phone field to E.164 number; null for a field that is empty or not a readable number
 * @param source   the CloudEvent id of the command the numbers were last learned from
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonNumbers(String personId, Map<String, String> phones, String source) {

    public PersonNumbers {
        Objects.requireNonNull(personId, "personId");
        phones = Collections.unmodifiableMap(new LinkedHashMap<>(phones == null ? Map.of() : phones));
    }

    /** The distinct numbers, in field order. */
    @JsonIgnore
    public List<String> numbers() {
        return List.copyOf(new LinkedHashSet<>(phones.values().stream().filter(Objects::nonNull).toList()));
    }
}
