package io.dialerbridge.disposition;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * The outcome of one dialer call, once {@link DispositionValidator} has passed it. It is accepted on
 * {@code POST /api/v1/dispositions} and the {@code dialer.dispositions} topic.
 *
 * <p>Instants are pinned to the string shape so the record serialises as RFC 3339 text whatever the surrounding
 * ObjectMapper's date settings are (the jsr310 module must still be registered). Unknown properties are ignored for
 * the same forward-compatibility reason the validator ignores them.
 *
 * @param recordId the person (Lead or Contact); in the 18-character form once validated
 * @param campaignId the campaign; in the 18-character form once validated
 * @param durationSeconds talk time as the dialer measured it, not necessarily {@code endedAt - startedAt}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Disposition(
        String callId,
        String recordId,
        DispositionCode disposition,
        String phone,
        String campaignId,
        String agentId,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Instant startedAt,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Instant endedAt,
        Long durationSeconds,
        @JsonFormat(shape = JsonFormat.Shape.STRING) Instant callbackAt,
        String notes) {

    /**
     * Safe to log at INFO: the phone number is masked and the notes, free text an agent typed during a call, are
     * reduced to their length.
     */
    @Override
    public String toString() {
        return "Disposition[callId=" + callId
                + ", recordId=" + recordId
                + ", disposition=" + disposition
                + ", phone=" + maskPhone(phone)
                + ", campaignId=" + campaignId
                + ", agentId=" + agentId
                + ", startedAt=" + startedAt
                + ", endedAt=" + endedAt
                + ", durationSeconds=" + durationSeconds
                + ", callbackAt=" + callbackAt
                + ", notes=" + (notes == null ? "null" : "<" + notes.length() + " chars>")
                + "]";
    }

    /**
     * Keeps the leading {@code +} and the last two digits, which is enough to tell two numbers of one person apart in
     * a log without the log holding a dialable number.
     */
    static String maskPhone(String phone) {
        if (phone == null) {
            return "null";
        }
        int visibleTail = phone.length() > 6 ? 2 : 0;
        StringBuilder masked = new StringBuilder(phone.length());
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            boolean keep = (i == 0 && c == '+') || i >= phone.length() - visibleTail;
            masked.append(keep ? c : '*');
        }
        return masked.toString();
    }
}
