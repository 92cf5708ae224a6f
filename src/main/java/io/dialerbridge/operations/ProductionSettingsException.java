package io.dialerbridge.operations;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown at startup, before anything connects, when settings the bridge needs outside local mode are missing. */
public class ProductionSettingsException extends RuntimeException {

    private final transient List<SettingProblem> problems;

    public ProductionSettingsException(List<SettingProblem> problems) {
        super("dialer-bridge cannot start without these settings:" + System.lineSeparator() + lines(problems));
        this.problems = List.copyOf(problems);
    }

    public List<SettingProblem> problems() {
        return problems;
    }

    /** One indented line per problem. */
    static String lines(List<SettingProblem> problems) {
        return problems.stream().map(problem -> "  - " + problem.describe())
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
