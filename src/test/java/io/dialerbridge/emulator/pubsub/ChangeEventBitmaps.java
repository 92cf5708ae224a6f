package io.dialerbridge.emulator.pubsub;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The bitmaps Pub/Sub change events carry in {@code changedFields}, {@code nulledFields} and {@code diffFields}:
 * element 0 is {@code "0x<hex>"} whose bit <i>i</i> stands for the schema's top-level field <i>i</i>
 * ({@code ChangeEventHeader} is 0); each compound field with a part named adds {@code "<index>-0x<hex>"}, bit
 * <i>j</i> standing for part <i>j</i> of that field's record. The parent's own bit stays clear, as in Salesforce's
 * example {@code ["0x400000","4-0x01"]}. Hex digits are upper case, in whole bytes.
 */
public final class ChangeEventBitmaps {

    private ChangeEventBitmaps() {
    }

    /**
     * @param fields top-level field indexes
     * @param parts compound field index to the indexes of its parts
     * @return the bitmap list, empty when nothing is named
     */
    public static List<String> encode(Collection<Integer> fields, Map<Integer, ? extends Collection<Integer>> parts) {
        if (fields.isEmpty() && parts.values().stream().allMatch(Collection::isEmpty)) {
            return List.of();
        }
        List<String> bitmaps = new ArrayList<>();
        bitmaps.add(hex(fields));
        SortedMap<Integer, Collection<Integer>> ordered = new TreeMap<>(parts);
        ordered.forEach((parent, named) -> {
            if (!named.isEmpty()) {
                bitmaps.add(parent + "-" + hex(named));
            }
        });
        return bitmaps;
    }

    private static String hex(Collection<Integer> bits) {
        BigInteger value = BigInteger.ZERO;
        for (int bit : bits) {
            value = value.setBit(bit);
        }
        String digits = value.toString(16).toUpperCase(java.util.Locale.ROOT);
        return "0x" + (digits.length() % 2 == 1 ? "0" + digits : digits);
    }
}
