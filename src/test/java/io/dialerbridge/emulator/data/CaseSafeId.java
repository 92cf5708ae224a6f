package io.dialerbridge.emulator.data;

import java.util.regex.Pattern;

/**
 * The emulated org's own reading of record ids (15-character, or 18-character case-safe), kept apart from the
 * bridge's so that the emulator checks the bridge's ids against an independent oracle.
 */
public final class CaseSafeId {

    private static final Pattern FIFTEEN = Pattern.compile("[0-9A-Za-z]{15}");
    private static final Pattern EIGHTEEN = Pattern.compile("[0-9A-Za-z]{18}");
    /** Salesforce encodes each five-bit upper-case mask as one of these 32 characters. */
    private static final char[] MASK_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".toCharArray();

    private CaseSafeId() {
    }

    /** The 18-character form: a 15-character id gets its suffix, an 18-character id comes back as given. */
    public static String of(String id) {
        if (id != null && EIGHTEEN.matcher(id).matches()) {
            return id;
        }
        if (id == null || !FIFTEEN.matcher(id).matches()) {
            throw new IllegalArgumentException("not a Salesforce record id: " + id);
        }
        return id + suffix(id);
    }

    /** Whether the text is a 15-character id, or an 18-character one whose last three characters match. */
    public static boolean isValid(String id) {
        if (id == null) {
            return false;
        }
        if (FIFTEEN.matcher(id).matches()) {
            return true;
        }
        return EIGHTEEN.matcher(id).matches() && suffix(id.substring(0, 15)).equals(id.substring(15));
    }

    /** One character per block of five: bit i is set when the block's i-th character is an upper-case letter. */
    private static String suffix(String id15) {
        char[] suffix = new char[3];
        for (int block = 0; block < 3; block++) {
            int mask = 0;
            for (int i = 4; i >= 0; i--) {
                mask = mask << 1 | (Character.isUpperCase(id15.charAt(block * 5 + i)) ? 1 : 0);
            }
            suffix[block] = MASK_CHARACTERS[mask];
        }
        return new String(suffix);
    }
}
