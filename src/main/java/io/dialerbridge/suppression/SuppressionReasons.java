package io.dialerbridge.suppression;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reasons a person or a number can be suppressed for, and who may lift each. A reason is lifted only by the source
 * that set it, so no other source's "callable again" can undo it (docs/dnc.md).
 */
public final class SuppressionReasons {

    /** Salesforce's {@code DoNotCall} is true; lifted when an event states it false. */
    public static final String SALESFORCE_DNC = "SALESFORCE_DNC";
    /** The Lead's status is a {@code dialer.mapping.suppress-statuses}; lifted when a stated status is not. */
    public static final String STATUS = "STATUS";
    /** A {@code Dialer_Command__e} {@code SUPPRESS_RECORD}; lifted by {@code UNSUPPRESS_RECORD}. */
    public static final String REQUESTED = "REQUESTED";
    /** A {@code DO_NOT_CALL} call disposition; lifted only by an {@code UNSUPPRESS_RECORD} that names it. */
    public static final String DISPOSITION = "DISPOSITION";

    /** The order reasons are written in; unknown reasons (from other writers) follow, alphabetically. */
    private static final List<String> ORDER = List.of(SALESFORCE_DNC, STATUS, REQUESTED, DISPOSITION);

    private SuppressionReasons() {
    }

    /** The reasons as a sorted, duplicate-free, unmodifiable list, as rows hold them. */
    public static List<String> of(Collection<String> reasons) {
        Set<String> sorted = new TreeSet<>((left, right) -> {
            int byOrder = Integer.compare(rank(left), rank(right));
            return byOrder != 0 ? byOrder : left.compareTo(right);
        });
        reasons.stream().filter(reason -> reason != null && !reason.isBlank()).forEach(sorted::add);
        return List.copyOf(sorted);
    }

    private static int rank(String reason) {
        int rank = ORDER.indexOf(reason);
        return rank < 0 ? ORDER.size() : rank;
    }
}
