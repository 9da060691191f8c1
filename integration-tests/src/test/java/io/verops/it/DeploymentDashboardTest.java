package io.verops.it;

import static io.verops.it.DeploymentFiles.path;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/grafana/verops-dashboard.json queries the services' metrics by their exact Prometheus names. */
class DeploymentDashboardTest {
    /**
     * The Prometheus names of the services' metrics (Micrometer naming), the one list the dashboard is held to: a
     * metric renamed in the services must be renamed here and in the dashboard.
     */
    static final List<String> METRICS = List.of(
            "verops_items_total",                 // counter {operation, phase, status}
            "verops_batches_total",               // counter {operation, phase, state: accepted|completed|halted}
            "verops_agent_run_seconds_bucket",    // histogram {operation, phase}
            "verops_agent_run_seconds_count",
            "verops_agent_run_seconds_sum",
            "verops_tokens_total",                // counter {operation, kind: input|cached_input|output|reasoning_output}
            "verops_retries_total",               // counter {operation, phase}
            "verops_gate_halts_total",            // counter {operation, gate}
            "verops_blocked_commands_total",      // counter {operation}
            "verops_consumer_lag");               // gauge {topic, group}

    /** PromQL words that are not metric names. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    private static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(Files.readString(path("deploy/grafana/verops-dashboard.json")));
    }

    /** Every panel, those inside rows included. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** The metric names a PromQL expression reads. */
    static Set<String> metricsOf(String expr) {
        String s = expr
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")        // string literals
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", " ")
                .replaceAll("\\{[^}]*}", " ")                        // label matchers
                .replaceAll("\\[[^]]*]", " ")                        // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            if (!KEYWORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    @Test
    void metricsOfAnExpressionAreFoundAndNothingElse() {
        assertThat(metricsOf("histogram_quantile(0.95, sum by (le, operation) (rate(verops_agent_run_seconds_bucket"
                + "{operation=~\"$operation\", phase=\"dry_run\"}[$__rate_interval])))"))
                .containsExactly("verops_agent_run_seconds_bucket");
        assertThat(metricsOf("sum(rate(a_total[5m])) / on (x) group_left sum(b_total) > bool 0"))
                .containsExactly("a_total", "b_total");
    }

    @Test
    void theDashboardQueriesOnlyTheServicesMetricsAndEveryOneOfThem() throws IOException {
        JsonNode dashboard = dashboard();
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : panels(dashboard)) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("targets")).as("queries of panel '%s'", panel.path("title").asText()).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                Set<String> metrics = metricsOf(target.path("expr").asText());
                assertThat(metrics).as("metrics of panel '%s': %s", panel.path("title").asText(),
                        target.path("expr").asText()).isNotEmpty().isSubsetOf(METRICS);
                used.addAll(metrics);
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText()
                    : variable.path("query").asText();
            Matcher m = LABEL_VALUES.matcher(query);
            while (m.find()) {
                assertThat(m.group(1)).as("variable %s", variable.path("name").asText()).isIn(METRICS);
                used.add(m.group(1));
            }
        }
        assertThat(used).as("every metric of the services is on the dashboard").containsExactlyInAnyOrderElementsOf(METRICS);
    }

    @Test
    void thePanelsCoverThroughputOutcomesAgentLatencyTokensLagHaltsAndBlockedCommands() throws IOException {
        List<String> titles = panels(dashboard()).stream().map(p -> p.path("title").asText().toLowerCase()).toList();
        for (String topic : List.of("throughput", "outcomes", "agent run time", "tokens", "consumer lag", "halt",
                "blocked commands")) {
            assertThat(titles).as("panel titles").anyMatch(t -> t.contains(topic));
        }
    }

    @Test
    void everyPanelQueriesTheDashboardsPrometheusDataSource() throws IOException {
        JsonNode dashboard = dashboard();
        String variable = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                assertThat(v.path("query").asText()).isEqualTo("prometheus");
                variable = v.path("name").asText();
            }
        }
        assertThat(variable).isNotNull();
        String uid = "${" + variable + "}";
        for (JsonNode panel : panels(dashboard)) {
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo(uid);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(uid);
            }
        }
    }
}
