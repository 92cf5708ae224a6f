package io.dialerbridge.command.phone;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the phone numbers people type into Salesforce into E.164 for the dialer, and counts and logs the ones it
 * cannot read instead of guessing.
 *
 * <p>A number must be valid for its region, not merely possible: a seven-digit local number such as
 * {@code 555-0134} parses, but its E.164 form would be undialable, so it is reported like any other unreadable
 * number. Extensions are dropped from the E.164 form (E.164 has none) and survive in {@code raw}.
 */
public class PhoneNormalizer {

    private static final Logger LOG = LoggerFactory.getLogger(PhoneNormalizer.class);

    private final PhoneNumberUtil numbers = PhoneNumberUtil.getInstance();
    private final String defaultRegion;
    private final LongAdder unparsable = new LongAdder();

    public PhoneNormalizer(String defaultRegion) {
        String region = defaultRegion == null ? null : defaultRegion.strip().toUpperCase(Locale.ROOT);
        if (region == null || !numbers.getSupportedRegions().contains(region)) {
            throw new IllegalArgumentException("dialer.mapping.default-region must be an ISO 3166 region libphonenumber"
                    + " knows, e.g. US; got: " + defaultRegion);
        }
        this.defaultRegion = region;
    }

    /**
     * Normalizes one non-blank phone value.
     *
     * @param raw      the value as Salesforce holds it
     * @param recordId the person it belongs to, for the data-quality log line
     * @param field    the Salesforce field it came from, for the data-quality log line
     */
    public NormalizedPhone normalize(String raw, String recordId, String field) {
        if (raw == null || raw.isBlank()) {
            throw new IllegalArgumentException("a blank phone is a cleared field, not a number to normalize");
        }
        String problem;
        try {
            PhoneNumber number = numbers.parse(raw, defaultRegion);
            if (numbers.isValidNumber(number)) {
                return new NormalizedPhone(numbers.format(number, PhoneNumberFormat.E164), raw);
            }
            problem = "not a valid number";
        } catch (NumberParseException e) {
            problem = e.getErrorType().name();
        }
        unparsable.increment();
        LOG.info("Data quality: phone {} of {} is unreadable ({}), sent with e164 null", mask(raw), recordId + "." + field,
                problem);
        return new NormalizedPhone(null, raw);
    }

    /** How many phones could not be normalized since start; the metrics binding reads this. */
    public long unparsableCount() {
        return unparsable.sum();
    }

    /** Hides every letter and digit except the last two digits, so a log line never carries a whole number. */
    public static String mask(String raw) {
        int keep = 2;
        char[] masked = raw.toCharArray();
        for (int i = masked.length - 1; i >= 0; i--) {
            char c = masked[i];
            if (Character.isDigit(c) && keep > 0) {
                keep--;
            } else if (Character.isLetterOrDigit(c)) {
                masked[i] = '*';
            }
        }
        return new String(masked);
    }
}
