package io.dialerbridge.suppression;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One row of the {@code dialer.suppressions} table: a person or a number that must not be called, keyed
 * {@code record:<id>} or {@code phone:<E.164>}.
 *
 * @param recordId the person the suppression came from (also set on number entries)
 * @param phone the suppressed number in E.164, for number entries; null for person entries
 * @param reason {@code SALESFORCE_DNC}, {@code STATUS} or {@code DISPOSITION}
 * @param since when the suppression was requested, RFC 3339
 * @param source the CloudEvent id of the command that suppressed
 * @param holders for number entries, every person whose suppression covers the number, latest last; absent on
 *                person entries and on rows written before it existed, where it means {@code [recordId]}
 */
public record SuppressionEntry(String recordId, String phone, String reason, String since, String source,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> holders) {

    public SuppressionEntry(String recordId, String phone, String reason, String since, String source) {
        this(recordId, phone, reason, since, source, null);
    }

    /** The people whose suppression covers this entry. */
    public List<String> holdersOrSelf() {
        return holders == null ? List.of(recordId) : holders;
    }

    public static String recordKey(String recordId) {
        return "record:" + recordId;
    }

    public static String phoneKey(String e164) {
        return "phone:" + e164;
    }

    public String key() {
        return phone == null ? recordKey(recordId) : phoneKey(phone);
    }
}
