package io.dialerbridge.emulator.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hex bitmaps of Pub/Sub change events, against the examples in Salesforce's documentation. */
class ChangeEventBitmapsTest {

    @Test
    void aTopLevelFieldAndAPartOfACompoundFieldAsInTheDocumentedAccountExample() {
        // Account: 4 is BillingAddress (part 0 Street), 22 LastModifiedDate.
        assertThat(ChangeEventBitmaps.encode(List.of(22), Map.of(4, List.of(0))))
                .containsExactly("0x400000", "4-0x01");
    }

    @Test
    void theDocumentedMultiPartExampleComesOutAsPrinted() {
        List<Integer> top = new ArrayList<>();
        BigInteger bits = new BigInteger("650004E0", 16);
        for (int i = 0; i < bits.bitLength(); i++) {
            if (bits.testBit(i)) {
                top.add(i);
            }
        }
        assertThat(ChangeEventBitmaps.encode(top, Map.of(7, Set.of(1, 2), 4, Set.of(4))))
                .containsExactly("0x650004E0", "4-0x10", "7-0x06");
    }

    @Test
    void nothingNamedIsAnEmptyList() {
        assertThat(ChangeEventBitmaps.encode(List.of(), Map.of(1, List.of()))).isEmpty();
    }
}
