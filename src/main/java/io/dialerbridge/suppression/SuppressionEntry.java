package io.dialerbridge.suppression;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One row of the {@code dialer.suppressions} table: a person or a number that must not be called, keyed
 * {@code record:<id>} or {@code phone:<E.164>} (the row format is described in docs/dnc.md).
 *
 * @param recordId the person, for person rows; for number rows the latest person holding the number, or null when
 *                 only a number-level suppression holds it
 * @param phone the suppressed number in E.164, for number rows; null for person rows
 * @param reasons why: for a person row, every reason still held (the person is callable only when none remain); for
 *                a number row, the reasons of its holders when it was written (informational: {@code holders}
 *                decides)
 * @param since when the suppression began, RFC 3339
 * @param source the CloudEvent id of the command that last changed the row
 * @param holders for number rows, what keeps the number suppressed, latest last: person ids, and the command id of
 *                each number-level suppression (never lifted automatically); absent on person rows and on rows
 *                written before it existed, where it means {@code [recordId]}, or with no {@code recordId} either
 *                {@code [legacy:<key>]} (see {@link #holdersOrSelf})
 * @param setAt for person rows, when each reason was last set (the Salesforce time of the event, the disposition's
 *              time), RFC 3339: a lift removes only a reason set no later than the lift. A reason it does not name
 *              (rows written before it existed) counts as set at {@code since}
 * @param convertedTo for the row of a converted Lead, the Contact it became, once the Lead's reasons that Salesforce
 *                    does not carry over were handed to that Contact (so they are handed over once)
 */
@JsonPropertyOrder({"recordId", "phone", "reasons", "reason", "since", "source", "holders", "setAt", "convertedTo"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record SuppressionEntry(String recordId, String phone, List<String> reasons, String since, String source,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> holders,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> setAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String convertedTo) {

    /** A Salesforce Lead or Contact id: a holder that is one is lifted with that person, any other is not. */
    private static final Pattern PERSON_ID = Pattern.compile("(00Q|003)[A-Za-z0-9]{12}([A-Za-z0-9]{3})?");

    /** The prefix of the synthetic holder of a number row written with no holder and no person. */
    public static final String LEGACY_HOLDER = "legacy:";

    public SuppressionEntry {
        reasons = SuppressionReasons.of(reasons == null ? List.of() : reasons);
        holders = holders == null ? null : List.copyOf(holders);
        Map<String, String> kept = new LinkedHashMap<>();
        if (setAt != null) {
            for (String reason : reasons) {
                if (setAt.get(reason) != null) {
                    kept.put(reason, setAt.get(reason));
                }
            }
        }
        setAt = Collections.unmodifiableMap(kept);
    }

    public SuppressionEntry(String recordId, String phone, List<String> reasons, String since, String source) {
        this(recordId, phone, reasons, since, source, null, null, null);
    }

    public SuppressionEntry(String recordId, String phone, List<String> reasons, String since, String source,
            List<String> holders) {
        this(recordId, phone, reasons, since, source, holders, null, null);
    }

    /** Reads a row; rows written before {@code reasons} existed carry one {@code reason}. */
    @JsonCreator
    static SuppressionEntry read(@JsonProperty("recordId") String recordId, @JsonProperty("phone") String phone,
            @JsonProperty("reasons") List<String> reasons, @JsonProperty("reason") String reason,
            @JsonProperty("since") String since, @JsonProperty("source") String source,
            @JsonProperty("holders") List<String> holders, @JsonProperty("setAt") Map<String, String> setAt,
            @JsonProperty("convertedTo") String convertedTo) {
        List<String> all = new ArrayList<>();
        if (reasons != null) {
            all.addAll(reasons);
        }
        if (reason != null) {
            all.add(reason);
        }
        return new SuppressionEntry(recordId, phone, all, since, source, holders, setAt, convertedTo);
    }

    /**
     * When the reason was last set: its {@link #setAt}, else {@link #since}; null when neither can be read (such a
     * reason is lifted by any lift of it, as before times were kept).
     */
    public Instant reasonSetAt(String reason) {
        return instant(setAt.getOrDefault(reason, since));
    }

    /** An RFC 3339 time, or null when absent or unreadable. */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The first of {@link #reasons}, written for readers of the one-reason format. */
    @JsonProperty("reason")
    public String reason() {
        return reasons.isEmpty() ? null : reasons.get(0);
    }

    /**
     * What keeps this entry: its holders; for rows without them the person it came from; for a number row with
     * neither (written by an operator or before holders existed) the synthetic holder {@code legacy:<key>}, which is
     * not a person, so no person's lift frees the number: only a tombstone for the row does.
     */
    @JsonIgnore
    public List<String> holdersOrSelf() {
        if (holders != null && !holders.isEmpty()) {
            return holders;
        }
        if (recordId != null) {
            return List.of(recordId);
        }
        return phone == null ? List.of() : List.of(LEGACY_HOLDER + key());
    }

    /** Whether a holder is a person (lifted with the person) rather than a number-level suppression. */
    public static boolean isPerson(String holder) {
        return holder != null && PERSON_ID.matcher(holder).matches();
    }

    public static String recordKey(String recordId) {
        return "record:" + recordId;
    }

    public static String phoneKey(String e164) {
        return "phone:" + e164;
    }

    @JsonIgnore
    public String key() {
        return phone == null ? recordKey(recordId) : phoneKey(phone);
    }
}
