package io.dialerbridge.emulator.data;

import java.util.concurrent.atomic.AtomicLong;

/** Mints 18-character record ids with the object's key prefix and a correct case-safe checksum. */
public final class IdGenerator {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** Characters 4 and 5 name the pod in real ids; a fixed, plausible one keeps ids looking real. */
    private static final String POD = "5f";

    private final AtomicLong sequence = new AtomicLong(100_000);

    public String next(String keyPrefix) {
        long value = sequence.incrementAndGet();
        char[] digits = new char[10];
        for (int i = digits.length - 1; i >= 0; i--) {
            digits[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        String id15 = keyPrefix + POD + new String(digits);
        return CaseSafeId.of(id15);
    }
}
