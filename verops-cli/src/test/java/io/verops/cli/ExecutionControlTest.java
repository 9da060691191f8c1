package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Controlled execution through the verops command, with the real codex binary and codex-sim faults: retry once
 * after a transient failure and never after an off-schema answer, the time limit, the dry run that refuses a
 * write, approval, rejection, and approval from a later process (the local broker's data survives).
 */
class ExecutionControlTest {
    static Path work;
    /** The failure-ratio gate would halt these small batches at their first injected failure: it is off here. */
    static Path home;

    @BeforeAll
    static void setUp() throws Exception {
        work = Files.createDirectories(Path.of("target", "control-" + System.nanoTime()).toAbsolutePath());
        home = CliRun.homeWithoutFailureGate("user-provisioning");
    }

    private static CliRun run(String... args) {
        return CliRun.runIn(home, args);
    }

    private static Map<String, JsonNode> results(Path bundle) throws Exception {
        JsonNode report = Json.mapper().readTree(bundle.resolve("report.json").toFile());
        Map<String, JsonNode> byId = new HashMap<>();
        report.path("results").forEach(r -> byId.put(r.path("item_id").asText(), r));
        return byId;
    }

    @Test
    void aTransientFailureIsRetriedOnceAnOffSchemaAnswerIsNotAndAHungTurnIsKilledAtTheLimit() throws Exception {
        Path csv = work.resolve("faults.csv");
        Files.writeString(csv, "email,role,team\nflaky@example.com,viewer,a\nsloppy@example.com,viewer,b\n"
                + "hung@example.com,editor,c\nfine@example.com,admin,d\n");
        Path db = work.resolve("faults.db");
        CliRun run = run("run", "--operation", "user-provisioning", "--input", csv.toString(), "--yes",
                "--reports", work.resolve("reports").toString(), "--target-db", db.toString(), "--item-timeout", "30",
                "--sim-fault", "http500:item=flaky@example.com,phase=apply,turn=1,times=1",
                "--sim-fault", "off-schema:item=sloppy@example.com,phase=apply",
                "--sim-fault", "hang:item=hung@example.com,phase=apply,turn=2,times=1");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NOT_ALL_SUCCEEDED);
        Map<String, JsonNode> r = results(run.bundle());
        assertThat(r.get("flaky@example.com").path("status").asText()).isEqualTo("success");
        assertThat(r.get("flaky@example.com").path("attempts").asInt()).isEqualTo(2);
        assertThat(r.get("flaky@example.com").path("retried").asBoolean()).isTrue();
        assertThat(r.get("sloppy@example.com").path("status").asText()).isEqualTo("failure");
        assertThat(r.get("sloppy@example.com").path("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("sloppy@example.com").path("retried").asBoolean()).isFalse();
        // the hung turn came after the insert ran: no retry of an apply that ran a command
        assertThat(r.get("hung@example.com").path("status").asText()).isEqualTo("failure");
        assertThat(r.get("hung@example.com").path("message").asText()).contains("timeout after 30 s");
        assertThat(r.get("hung@example.com").path("attempts").asInt()).isEqualTo(1);
        assertThat(r.get("fine@example.com").path("status").asText()).isEqualTo("success");
        assertThat(Sqlite.query(db, "SELECT email FROM users ORDER BY email"))
                .containsExactly("fine@example.com", "flaky@example.com", "hung@example.com", "sloppy@example.com");
        String audit = Files.readString(run.bundle().resolve("audit.jsonl"));
        assertThat(audit).contains("\"type\":\"verops.retry\"").contains("turn.failed");
    }

    @Test
    void withoutYesTheRunStopsAfterTheDryRunAndAnOperatorApprovesOrRejectsLater() throws Exception {
        Path db = work.resolve("approval.db");
        Path reports = work.resolve("reports-approval");
        Path users = CliRun.repoRoot().resolve("examples/batches/users.csv");

        CliRun first = run("run", "--operation", "user-provisioning", "--input", users.toString(),
                "--reports", reports.toString(), "--target-db", db.toString(),
                "--sim-fault", "write-in-dry-run:item=alice@example.com,phase=dry_run");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.AWAITING_APPROVAL);
        assertThat(first.bundle().getFileName().toString()).endsWith(".dry-run");
        JsonNode dry = Json.mapper().readTree(first.bundle().resolve("report.json").toFile());
        assertThat(dry.path("dry_run").asBoolean()).isTrue();
        assertThat(Sqlite.query(db, "SELECT count(*) FROM users")).as("a dry run changes nothing").containsExactly("0");
        assertThat(results(first.bundle()).get("alice@example.com").path("status").asText())
                .as("the write attempted in the dry run was refused").isEqualTo("failure");
        String batch = first.bundle().getFileName().toString().replace(".dry-run", "");
        assertThat(first.out()).contains("verops approve " + batch);

        CliRun rejected = run("reject", batch, "--reason", "wrong teams", "--reports", reports.toString(),
                "--target-db", db.toString());
        assertThat(rejected.exitCode()).as(rejected.err()).isEqualTo(ExitCodes.OK);
        Map<String, JsonNode> r = results(rejected.bundle());
        assertThat(r.get("bob@example.com").path("status").asText()).isEqualTo("skipped");
        assertThat(r.get("bob@example.com").path("message").asText()).contains("apply rejected by").contains("wrong teams");
        assertThat(Sqlite.query(db, "SELECT count(*) FROM users")).containsExactly("0");
        assertThat(run("approve", batch, "--reports", reports.toString()).exitCode())
                .as("a rejected batch cannot be approved afterwards").isEqualTo(ExitCodes.USAGE_OR_REFUSED);

        CliRun second = run("run", "--operation", "user-provisioning", "--input", users.toString(),
                "--reports", reports.toString(), "--target-db", db.toString());
        assertThat(second.exitCode()).as(second.err()).isEqualTo(ExitCodes.AWAITING_APPROVAL);
        String batch2 = second.bundle().getFileName().toString().replace(".dry-run", "");
        CliRun status = run("status", batch2);
        assertThat(status.out()).contains("awaiting approval");

        // a new process: the broker starts again from its data on disk and the apply resumes
        // without --target-db: the apply goes where the dry run looked
        CliRun approved = run("approve", batch2, "--reason", "checked the dry run", "--reports", reports.toString());
        assertThat(approved.exitCode()).as(approved.err()).isEqualTo(ExitCodes.NOT_ALL_SUCCEEDED);
        assertThat(Sqlite.query(db, "SELECT count(*) FROM users")).containsExactly("8");
        String audit = Files.readString(approved.bundle().resolve("audit.jsonl"));
        assertThat(audit).contains("\"type\":\"verops.approval\"").contains("\"decision\":\"approved\"")
                .contains("checked the dry run").contains("\"actor\":\"" + LocalSession.osUser() + "\"");
        assertThat(run("status", batch2).out()).contains("done");
        assertThat(List.of(run("status").out().split("\n"))).anyMatch(l -> l.startsWith(batch) && l.contains("rejected"));
    }
}
