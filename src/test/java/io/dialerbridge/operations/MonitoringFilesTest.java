package io.dialerbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The monitoring the project ships: the alerting rules pass {@code promtool check rules} and their unit tests
 * {@code promtool test rules} (Debian's prometheus package; {@code .ci/run} installs it, so CI always runs this), and the Grafana dashboard imports into any Grafana
 * with a Prometheus datasource, chosen by a variable. That every metric they name exists is
 * {@link HealthEndpointsIT}'s, against a running bridge.
 */
class MonitoringFilesTest {

    private static final Path RULES = Path.of("monitoring/prometheus/dialer-bridge-alerts.yaml");
    private static final Path RULE_TESTS = Path.of("monitoring/prometheus/dialer-bridge-alerts.test.yaml");
    private static final Path DASHBOARD = Path.of("monitoring/grafana/dialer-bridge.json");

    @Test
    void theAlertingRulesPassPromtool() throws Exception {
        assertThat(promtool("check", RULES)).contains("SUCCESS");
    }

    @Test
    void theAlertsFireAsTheirUnitTestsSayAQuietChannelNearRetentionIncluded() throws Exception {
        assertThat(promtool("test", RULE_TESTS)).contains("SUCCESS");
    }

    @Test
    void theDashboardChoosesItsPrometheusDatasourceByAVariable() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

        List<String> datasources = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(variable -> {
            if ("datasource".equals(variable.path("type").asText())) {
                datasources.add(variable.path("name").asText() + ":" + variable.path("query").asText());
            }
        });
        assertThat(datasources).containsExactly("datasource:prometheus");
        assertThat(dashboard.path("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
        });
    }

    @Test
    void theDashboardShowsWhatTheIssueAsksOperatorsToSee() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        String expressions = dashboard.path("panels").findValuesAsText("expr").toString();

        assertThat(expressions).contains("dialer_stream_events_total", "dialer_commands_total",
                "dialer_guard_blocked_total", "dialer_dead_letters_total", "dialer_replay_lag_seconds",
                "dialer_replay_retention_remaining_seconds", "dialer_kafka_transaction_commit_seconds",
                "dialer_kafka_transactions_aborted_total", "dialer_dispositions_total", "dialer_salesforce_calls_total");
    }

    /** Runs {@code promtool <command> rules <file>} and returns its output; skips when promtool is not installed. */
    private static String promtool(String command, Path file) throws Exception {
        String promtool = promtool();
        assumeTrue(promtool != null, "promtool is not installed (apt-get install prometheus); .ci/run installs it,"
                + " so CI checks the rules");

        Process run = new ProcessBuilder(promtool, command, "rules", file.toString()).redirectErrorStream(true)
                .start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        assertThat(run.exitValue()).as(output).isZero();
        return output;
    }

    private static String promtool() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File candidate = new File(directory, "promtool");
            if (candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }
}
