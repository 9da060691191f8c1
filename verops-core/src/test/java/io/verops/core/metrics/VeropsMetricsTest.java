package io.verops.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.verops.core.ItemStatus;
import io.verops.core.Phase;
import io.verops.core.messages.Usage;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The metrics as Prometheus scrapes them: the names and labels that dashboards and alerts depend on. */
class VeropsMetricsTest {
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @AfterEach
    void reset() {
        VeropsMetrics.use(io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    @Test
    void everyMetricIsScrapedUnderItsDocumentedNameWithItsLabels() {
        VeropsMetrics.use(prometheus);
        VeropsMetrics.item("user-provisioning", Phase.APPLY, ItemStatus.SUCCESS);
        VeropsMetrics.item("user-provisioning", Phase.APPLY, ItemStatus.SUCCESS);
        VeropsMetrics.item("user-provisioning", Phase.APPLY, ItemStatus.FAILURE);
        VeropsMetrics.batch("user-provisioning", Phase.DRY_RUN, "accepted");
        VeropsMetrics.agentRun("user-provisioning", Phase.DRY_RUN, Duration.ofMillis(2500));
        VeropsMetrics.tokens("user-provisioning", new Usage(100, 40, 7, 3));
        VeropsMetrics.retry("user-provisioning", Phase.APPLY);
        VeropsMetrics.gateHalt("user-provisioning", "failure_ratio");
        VeropsMetrics.blockedCommand("user-provisioning");
        VeropsMetrics.lag("verops.items", "verops-executor", 42);
        VeropsMetrics.lag("verops.items", "verops-executor", 17);

        String scrape = prometheus.scrape();
        assertThat(scrape)
                .contains("verops_items_total{operation=\"user-provisioning\",phase=\"apply\",status=\"success\"} 2.0")
                .contains("verops_items_total{operation=\"user-provisioning\",phase=\"apply\",status=\"failure\"} 1.0")
                .contains("verops_batches_total{operation=\"user-provisioning\",phase=\"dry_run\",state=\"accepted\"} 1.0")
                .contains("verops_agent_run_seconds_count{operation=\"user-provisioning\",phase=\"dry_run\"} 1")
                .contains("verops_agent_run_seconds_sum{operation=\"user-provisioning\",phase=\"dry_run\"} 2.5")
                .contains("verops_agent_run_seconds_bucket{operation=\"user-provisioning\",phase=\"dry_run\",le=\"+Inf\"} 1")
                .contains("verops_tokens_total{kind=\"input\",operation=\"user-provisioning\"} 100.0")
                .contains("verops_tokens_total{kind=\"cached_input\",operation=\"user-provisioning\"} 40.0")
                .contains("verops_tokens_total{kind=\"output\",operation=\"user-provisioning\"} 7.0")
                .contains("verops_tokens_total{kind=\"reasoning_output\",operation=\"user-provisioning\"} 3.0")
                .contains("verops_retries_total{operation=\"user-provisioning\",phase=\"apply\"} 1.0")
                .contains("verops_gate_halts_total{gate=\"failure_ratio\",operation=\"user-provisioning\"} 1.0")
                .contains("verops_blocked_commands_total{operation=\"user-provisioning\"} 1.0")
                .contains("verops_consumer_lag{group=\"verops-executor\",topic=\"verops.items\"} 17.0");
    }

    @Test
    void withoutARegistryNothingIsRecordedAndNothingFails() {
        VeropsMetrics.item("op", Phase.DRY_RUN, ItemStatus.SKIPPED);
        VeropsMetrics.lag("t", "g", 1);
        assertThat(prometheus.scrape()).doesNotContain("verops_");
    }
}
