package io.dialerbridge.salesforce;

import java.util.Optional;

/**
 * Salesforce record ids: the 15-character case-sensitive form, the 18-character case-safe form, and the checksum
 * that links them.
 */
public final class SalesforceId {

    private static final String CHECKSUM_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private SalesforceId() {
    }

    /** The three checksum characters Salesforce appends to a 15-character id. */
    public static String checksum(String id15) {
        if (id15 == null || id15.length() != 15 || !isBase62(id15)) {
            throw new IllegalArgumentException("not a 15-character Salesforce id: " + id15);
        }
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int flags = 0;
            for (int position = 0; position < 5; position++) {
                char c = id15.charAt(chunk * 5 + position);
                if (c >= 'A' && c <= 'Z') {
                    flags |= 1 << position;
                }
            }
            suffix.append(CHECKSUM_ALPHABET.charAt(flags));
        }
        return suffix.toString();
    }

    /** The 18-character form of a 15- or 18-character id; an 18-character id is returned as given. */
    public static String to18(String id) {
        if (id != null && id.length() == 18) {
            return id;
        }
        return id + checksum(id);
    }

    /** Whether the text is a 15-character id, or an 18-character id whose checksum is right. */
    public static boolean isValid(String id) {
        if (id == null || !isBase62(id)) {
            return false;
        }
        if (id.length() == 15) {
            return true;
        }
        return id.length() == 18 && checksum(id.substring(0, 15)).equals(id.substring(15));
    }

    /** The key prefix (the object type) of a valid id. */
    public static Optional<String> keyPrefix(String id) {
        return isValid(id) ? Optional.of(id.substring(0, 3)) : Optional.empty();
    }

    private static boolean isBase62(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean base62 = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            if (!base62) {
                return false;
            }
        }
        return true;
    }
}
