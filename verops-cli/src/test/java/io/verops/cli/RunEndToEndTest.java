package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.schema.MessageSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-JVM runner end to end: the embedded broker, the four stages, the real codex binary, codex-sim as the
 * model and a real SQLite target. The batch is not the example one: other rows, other values.
 */
class RunEndToEndTest {
    static Path work;

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createDirectories(Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath());
    }

    @Test
    void aBatchWithTwoIncompleteRowsProvisionsExactlyTheValidOnesAndReportsEveryRow() throws Exception {
        Path csv = work.resolve("people.csv");
        List<String> lines = new ArrayList<>();
        lines.add("team,email,role");
        String[] roles = {"admin", "editor", "viewer", "VIEWER"};
        Map<String, String[]> expected = new HashMap<>();
        for (int i = 1; i <= 12; i++) {
            String email = "user" + i + "@Corp.Example.ORG";
            String team = i % 3 == 0 ? "\"sales, \"\"north\"\"\"" : "team-" + i;
            String role = roles[i % roles.length];
            if (i == 4) {
                role = ""; // missing required field
            }
            if (i == 9) {
                email = "  "; // blank counts as missing
            }
            lines.add(team + "," + email + "," + role);
            if (i != 4 && i != 9) {
                expected.put("user" + i + "@corp.example.org", new String[] {role.toLowerCase(),
                        i % 3 == 0 ? "sales, \"north\"" : "team-" + i});
            }
        }
        Files.writeString(csv, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        Path db = work.resolve("people.db");
        Path reports = work.resolve("reports");

        CliRun run = CliRun.run("run", "--operation", "user-provisioning", "--input", csv.toString(), "--yes",
                "--reports", reports.toString(), "--target-db", db.toString(), "--concurrency", "4");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NOT_ALL_SUCCEEDED);
        assertThat(run.err()).contains("model: codex-sim").contains("dry run 10/10 items done").contains("apply 10/10 items done");
        Path bundle = run.bundle();
        assertThat(bundle.getParent()).isEqualTo(reports.resolve("user-provisioning"));
        JsonNode report = Json.mapper().readTree(bundle.resolve("report.json").toFile());
        assertThat(MessageSchemas.named("batch-report.json").validate(report)).isEmpty();
        assertThat(report.path("total_items").asInt()).isEqualTo(12);
        assertThat(report.path("succeeded").asInt()).isEqualTo(10);
        assertThat(report.path("needs_input").asInt()).isEqualTo(2);
        assertThat(report.path("failed").asInt()).isZero();
        assertThat(report.path("skipped").asInt()).isZero();
        assertThat(report.path("results")).hasSize(12);
        Map<Integer, JsonNode> byRow = new HashMap<>();
        report.path("results").forEach(r -> byRow.put(r.path("row").asInt(), r));
        assertThat(byRow.get(4).path("status").asText()).isEqualTo("needs_input");
        assertThat(byRow.get(4).path("message").asText()).contains("role missing");
        assertThat(byRow.get(9).path("status").asText()).isEqualTo("needs_input");
        assertThat(byRow.get(9).path("message").asText()).contains("email missing");
        assertThat(byRow.get(1).path("attempts").asInt()).isEqualTo(1);
        assertThat(byRow.get(1).path("retried").asBoolean()).isFalse();

        List<String> rows = Sqlite.query(db, "SELECT email, role, team FROM users ORDER BY email");
        assertThat(rows).hasSize(10);
        for (String row : rows) {
            String[] parts = row.split("\\|", 3);
            assertThat(expected).containsKey(parts[0]);
            assertThat(parts[1]).isEqualTo(expected.get(parts[0])[0]);
            assertThat(parts[2]).isEqualTo(expected.get(parts[0])[1]);
        }

        Set<String> itemsWithCodexEvents = new HashSet<>();
        Set<String> itemsWithCommands = new HashSet<>();
        for (String line : Files.readAllLines(bundle.resolve("audit.jsonl"))) {
            JsonNode a = Json.mapper().readTree(line);
            if (a.path("source").asText().equals("codex")) {
                itemsWithCodexEvents.add(a.path("item_id").asText());
                if (a.path("event").path("item").path("type").asText().equals("command_execution")) {
                    itemsWithCommands.add(a.path("item_id").asText());
                }
            }
        }
        assertThat(itemsWithCodexEvents).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(itemsWithCommands).containsExactlyInAnyOrderElementsOf(expected.keySet());
        // every attempt's evidence names the sandbox codex ran in: read-only in the dry run, the declared one after
        assertThat(sandboxEvents(bundle)).containsOnlyKeys(expected.keySet())
                .allSatisfy((item, e) -> assertThat(e).isEqualTo(
                        "{\"type\":\"verops.sandbox\",\"mode\":\"workspace-write\",\"declared\":\"workspace-write\",\"bypass\":false}"));
        assertThat(sandboxEvents(bundle.resolveSibling(bundle.getFileName() + ".dry-run"))).containsOnlyKeys(expected.keySet())
                .allSatisfy((item, e) -> assertThat(e).isEqualTo(
                        "{\"type\":\"verops.sandbox\",\"mode\":\"read-only\",\"declared\":\"workspace-write\",\"bypass\":false}"));
        assertThat(Files.readAllLines(bundle.resolve("results.csv"))).hasSize(13);
    }

    /** Per item, the verops.sandbox event of its (only) attempt in a bundle's audit.jsonl. */
    private static Map<String, String> sandboxEvents(Path bundle) throws Exception {
        Map<String, String> events = new HashMap<>();
        for (String line : Files.readAllLines(bundle.resolve("audit.jsonl"))) {
            JsonNode a = Json.mapper().readTree(line);
            if (a.path("event").path("type").asText().equals("verops.sandbox")) {
                assertThat(events.put(a.path("item_id").asText(), a.path("event").toString())).isNull();
            }
        }
        return events;
    }

    @Test
    void anOffSchemaFinalMessageEndsAsFailureWithTheSchemaError() throws Exception {
        Path csv = work.resolve("two.csv");
        Files.writeString(csv, "email,role,team\nok@example.com,viewer,a\nbroken@example.com,editor,b\n");
        CliRun run = CliRun.run("run", "--operation", "user-provisioning", "--input", csv.toString(), "--yes",
                "--reports", work.resolve("reports-offschema").toString(), "--target-db",
                work.resolve("offschema.db").toString(), "--sim-fault", "off-schema:item=broken@example.com");

        // one of two items failed: the failure-ratio gate (5%) halts the batch after its dry run
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.HALTED);
        JsonNode report = Json.mapper().readTree(run.bundle().resolve("report.json").toFile());
        assertThat(report.path("succeeded").asInt()).isEqualTo(1);
        assertThat(report.path("failed").asInt()).isEqualTo(1);
        JsonNode broken = null;
        for (JsonNode r : report.path("results")) {
            if (r.path("item_id").asText().equals("broken@example.com")) {
                broken = r;
            }
        }
        assertThat(broken).isNotNull();
        assertThat(broken.path("status").asText()).isEqualTo("failure");
        assertThat(broken.path("message").asText()).contains("final message does not match the output schema:");
        assertThat(broken.path("retried").asBoolean()).as("an off-schema answer is not retried").isFalse();
    }

    @Test
    void aMalformedBatchIsRefusedWithExitCodeTwoAndNamesTheFileAndRow() throws Exception {
        Path csv = work.resolve("ragged.csv");
        Files.writeString(csv, "email,role,team\na@example.com,viewer\n");
        CliRun run = CliRun.run("run", "--operation", "user-provisioning", "--input", csv.toString(), "--yes",
                "--reports", work.resolve("reports-ragged").toString());
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_REFUSED);
        assertThat(run.err()).contains("batch refused").contains("ragged.csv: row 1 (line 2): has 2 fields, the header has 3");
        assertThat(run.err()).doesNotContain("Exception");
        assertThat(work.resolve("reports-ragged")).doesNotExist();
    }
}
