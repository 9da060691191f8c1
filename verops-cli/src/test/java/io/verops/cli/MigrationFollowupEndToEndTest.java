package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.schema.MessageSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * migration-followup end to end on its example batch: read-only checks with no apply phase. The run ends with
 * the dry run's report; the checks that find a problem (an empty table, a missing one) are failures, and the
 * target is left exactly as it was.
 */
class MigrationFollowupEndToEndTest {

    @Test
    void theExampleChecksEndInAReportWithoutAnApplyAndChangeNothing() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "e2e-migration-" + System.nanoTime()).toAbsolutePath());
        Path db = work.resolve("migrated.db");
        Path reports = work.resolve("reports");
        Path batch = CliRun.repoRoot().resolve("examples/batches/migration-checks.csv");

        CliRun run = CliRun.run("run", "--operation", "migration-followup", "--input", batch.toString(), "--yes",
                "--reports", reports.toString(), "--target-db", db.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NOT_ALL_SUCCEEDED);
        assertThat(run.err()).doesNotContain("apply 1/");
        Path bundle = run.bundle();
        assertThat(bundle.getFileName().toString()).endsWith(".dry-run");
        try (var bundles = Files.list(reports.resolve("migration-followup"))) {
            assertThat(bundles).as("no apply bundle beside the dry run's").hasSize(1);
        }
        JsonNode report = Json.mapper().readTree(bundle.resolve("report.json").toFile());
        assertThat(MessageSchemas.named("batch-report.json").validate(report)).isEmpty();
        assertThat(report.path("total_items").asInt()).isEqualTo(7);
        assertThat(report.path("succeeded").asInt()).isEqualTo(3);
        assertThat(report.path("failed").asInt()).isEqualTo(2);
        assertThat(report.path("skipped").asInt()).isEqualTo(1);
        assertThat(report.path("needs_input").asInt()).isEqualTo(1);

        Map<String, JsonNode> byItem = new HashMap<>();
        report.path("results").forEach(r -> byItem.put(r.path("item_id").asText(), r));
        assertThat(byItem.get("orders").path("message").asText()).isEqualTo("Table orders holds 5 rows (expected 5 to 10 rows).");
        assertThat(byItem.get("invoices").path("message").asText())
                .isEqualTo("Table invoices holds 0 rows, fewer than the expected minimum of 1.");
        assertThat(byItem.get("legacy_orders").path("status").asText()).isEqualTo("failure");
        assertThat(byItem.get("legacy_orders").path("message").asText()).startsWith("Table legacy_orders does not exist");
        assertThat(byItem.get("customers#row-6").path("message").asText()).isEqualTo("duplicate of row 1 (same table)");
        assertThat(byItem.get("payments").path("message").asText()).contains("invalid integer 'many': not a number");

        assertThat(Sqlite.query(db, "SELECT (SELECT count(*) FROM customers) || ',' || (SELECT count(*) FROM orders) "
                + "|| ',' || (SELECT count(*) FROM invoices) || ',' || (SELECT count(*) FROM schema_migrations)"))
                .containsExactly("3,5,0,3");
        assertThat(Sqlite.query(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
                .containsExactly("customers", "invoices", "orders", "schema_migrations");
    }
}
