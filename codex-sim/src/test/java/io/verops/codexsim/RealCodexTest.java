package io.verops.codexsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

import static io.verops.codexsim.TestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real codex-cli 0.169.0 binary running its real loop (sandbox, exec_command, hooks) against the sim. */
@Execution(ExecutionMode.CONCURRENT)
class RealCodexTest {

    @BeforeAll
    static void needsTheCodexBinary() throws Exception {
        assumeTrue(RealCodex.available(), "codex binary missing at " + RealCodex.binary()
                + "; run scripts/setup-tools.sh (or build from the parent, whose validate phase runs it)");
        Path root = RealCodex.runsRoot();
        if (Files.exists(root)) {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String prompt(RealCodex c, String phase, String itemId, String team) {
        ObjectNode item = TestBodies.item(phase, itemId, "admin", team, c.db.toString());
        return TestBodies.prompt(item);
    }

    private static void assertSchemaShaped(JsonNode answer) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = answer.fieldNames();
        it.forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("item_id", "status", "dry_run", "message", "changes");
        assertThat(answer.get("status").asText()).isIn("success", "failure", "skipped");
        assertThat(answer.get("dry_run").isBoolean()).isTrue();
        assertThat(answer.get("changes").isArray()).isTrue();
    }

    @Test
    void apply_inserts_the_row_reports_success_and_codex_reports_the_command_and_usage() throws Exception {
        RealCodex c = new RealCodex("apply");
        try (CodexSim sim = CodexSim.start(SimConfig.defaults())) {
            RealCodex.Run run = c.run(sim, prompt(c, "apply", "alice@example.com", "ops"));

            assertThat(run.exit()).as("%s", run).isZero();
            JsonNode row = c.rows("SELECT * FROM users").get(0);
            assertThat(row.get("email").asText()).isEqualTo("alice@example.com");
            assertThat(row.get("role").asText()).isEqualTo("admin");
            assertThat(row.get("team").asText()).isEqualTo("ops");
            assertThat(row.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");

            JsonNode answer = run.finalJson();
            assertSchemaShaped(answer);
            assertThat(answer.get("item_id").asText()).isEqualTo("alice@example.com");
            assertThat(answer.get("status").asText()).isEqualTo("success");
            assertThat(answer.get("dry_run").asBoolean()).isFalse();

            List<JsonNode> commands = run.completedItems("command_execution");
            assertThat(commands).hasSize(1);
            assertThat(commands.get(0).get("exit_code").asInt()).isZero();
            assertThat(commands.get(0).get("status").asText()).isEqualTo("completed");
            assertThat(commands.get(0).get("command").asText()).startsWith("/bin/bash -c ").contains("INSERT INTO users");
            assertThat(run.completedItems("agent_message")).hasSize(1);
            JsonNode usage = run.ofType("turn.completed").get(0).get("usage");
            assertThat(usage.get("input_tokens").asInt()).isPositive();
            assertThat(usage.get("cached_input_tokens").asInt()).isPositive();
            assertThat(usage.get("output_tokens").asInt()).isPositive();
            assertThat(usage.get("reasoning_output_tokens").asInt()).isEqualTo(2 * io.verops.codexsim.internal.SimEngine.REASONING_TOKENS);
            assertThat(run.ofType("turn.failed")).isEmpty();

            // two model turns; the second carries codex's function_call_output, in the documented format
            assertThat(sim.requestCount()).isEqualTo(2);
            JsonNode second = JSON.readTree(sim.requestBodies().get(1));
            JsonNode output = null;
            for (JsonNode i : second.get("input")) {
                if (i.path("type").asText().equals("function_call_output")) {
                    output = i;
                }
            }
            assertThat(output).isNotNull();
            assertThat(output.get("call_id").asText()).isEqualTo("call_vp_insert_1");
            assertThat(output.get("output").asText())
                    .matches("(?s)Chunk ID: \\w+\nWall time: [0-9.]+ seconds\nProcess exited with code 0\nOriginal token count: \\d+\nOutput:\n");
            // the sim's text.format: codex sends the schema file verbatim as a strict json_schema
            JsonNode format = second.get("text").get("format");
            assertThat(format.get("type").asText()).isEqualTo("json_schema");
            assertThat(format.get("strict").asBoolean()).isTrue();
            assertThat(format.get("schema")).isEqualTo(JSON.readTree(RealCodex.SCHEMA));
        }
    }

    @Test
    void a_hostile_team_value_is_stored_verbatim_and_runs_nothing() throws Exception {
        RealCodex c = new RealCodex("hostile");
        Path marker = c.dir.resolve("pwned");
        String team = "ops'; DROP TABLE users; -- $(touch " + marker + ") `touch " + marker + "` \"q\" \\ \nsecond line";
        try (CodexSim sim = CodexSim.start(SimConfig.defaults())) {
            RealCodex.Run run = c.run(sim, prompt(c, "apply", "mallory@example.com", team));

            assertThat(run.exit()).as("%s", run).isZero();
            assertThat(run.finalJson().get("status").asText()).isEqualTo("success");
            JsonNode rows = c.rows("SELECT email, team FROM users");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).get("team").asText()).isEqualTo(team);
            assertThat(marker).doesNotExist();
        }
    }

    @Test
    void an_http_500_on_turn_one_fails_the_run_and_with_times_1_the_next_run_succeeds() throws Exception {
        RealCodex c = new RealCodex("http500");
        try (CodexSim sim = CodexSim.start(SimConfig.defaults().withFault(Fault.parse("http500:item=bob@example.com,turn=1,times=1")))) {
            RealCodex.Run failed = c.run(sim, prompt(c, "apply", "bob@example.com", "ops"));

            assertThat(failed.exit()).as("%s", failed).isNotZero();
            assertThat(failed.ofType("turn.failed")).hasSize(1);
            assertThat(failed.ofType("error")).isNotEmpty();
            // on a failed turn codex does not write a message: a missing -o file is created empty (an existing one
            // keeps its old content, so delete it before each run)
            assertThat(failed.lastMessage()).hasValue("");
            assertThat(sim.requestCount()).as("request_max_retries=0: exactly one request").isEqualTo(1);
            assertThat(c.rows("SELECT * FROM users")).isEmpty();

            RealCodex.Run retried = c.run(sim, prompt(c, "apply", "bob@example.com", "ops"));

            assertThat(retried.exit()).as("%s", retried).isZero();
            assertThat(retried.finalJson().get("status").asText()).isEqualTo("success");
            assertThat(c.rows("SELECT email FROM users")).hasSize(1);
        }
    }

    @Test
    void off_schema_and_non_json_answers_reach_the_output_file_unvalidated() throws Exception {
        RealCodex c = new RealCodex("off-schema");
        SimConfig config = SimConfig.defaults()
                .withFault(Fault.parse("off-schema:item=off@example.com"))
                .withFault(Fault.parse("non-json:item=prose@example.com"));
        try (CodexSim sim = CodexSim.start(config)) {
            RealCodex.Run off = c.run(sim, prompt(c, "apply", "off@example.com", "ops"));
            RealCodex.Run prose = c.run(sim, prompt(c, "apply", "prose@example.com", "ops"));

            assertThat(off.exit()).as("%s", off).isZero();
            JsonNode offAnswer = off.finalJson();
            assertThat(offAnswer.get("status").asText()).isEqualTo("done");
            assertThat(offAnswer.has("changes")).isFalse();
            assertThat(offAnswer.has("details")).isTrue();

            assertThat(prose.exit()).as("%s", prose).isZero();
            assertThat(prose.lastMessage()).hasValueSatisfying(t -> assertThat(t).startsWith("All done!").doesNotContain("{"));
            assertThat(prose.completedItems("agent_message").get(0).get("text").asText()).isEqualTo(prose.lastMessage().get());
        }
    }

    @Test
    void a_dry_run_reads_only_and_leaves_the_database_unchanged() throws Exception {
        RealCodex c = new RealCodex("dry-run");
        c.sqlite("INSERT INTO users VALUES('existing@example.com','viewer','ops','2020-01-01T00:00:00Z');");
        byte[] before = sha256(c.db);
        try (CodexSim sim = CodexSim.start(SimConfig.defaults())) {
            RealCodex.Run fresh = c.run(sim, prompt(c, "dry_run", "new@example.com", "ops"));
            RealCodex.Run existing = c.run(sim, prompt(c, "dry_run", "existing@example.com", "ops"));

            assertThat(fresh.exit()).as("%s", fresh).isZero();
            JsonNode a = fresh.finalJson();
            assertSchemaShaped(a);
            assertThat(a.get("status").asText()).isEqualTo("success");
            assertThat(a.get("dry_run").asBoolean()).isTrue();
            assertThat(a.get("changes").get(0).asText()).isEqualTo("would insert user new@example.com with role admin in team ops");
            assertThat(fresh.completedItems("command_execution").get(0).get("command").asText()).contains("sqlite3 -readonly");

            JsonNode b = existing.finalJson();
            assertThat(b.get("status").asText()).isEqualTo("failure");
            assertThat(b.get("message").asText()).contains("already exists");

            assertThat(sha256(c.db)).isEqualTo(before);
            assertThat(c.rows("SELECT email FROM users")).hasSize(1);
        }
    }

    @Test
    void without_add_dir_the_workspace_write_sandbox_refuses_to_write_the_database() throws Exception {
        RealCodex c = new RealCodex("no-add-dir");
        try (CodexSim sim = CodexSim.start(SimConfig.defaults())) {
            RealCodex.Run run = c.run(sim, false, prompt(c, "apply", "carol@example.com", "ops"));

            assertThat(run.exit()).as("%s", run).isZero();
            JsonNode command = run.completedItems("command_execution").get(0);
            assertThat(command.get("exit_code").asInt()).isNotZero();
            assertThat(command.get("aggregated_output").asText()).contains("attempt to write a readonly database");
            JsonNode answer = run.finalJson();
            assertThat(answer.get("status").asText()).isEqualTo("failure");
            assertThat(answer.get("message").asText()).contains("readonly database");
            assertThat(c.rows("SELECT * FROM users")).isEmpty();
        }
    }

    @Test
    void a_pre_tool_use_hook_blocks_the_destructive_command_and_the_model_reports_the_block() throws Exception {
        RealCodex c = new RealCodex("hook");
        Path hook = c.dir.resolve("deny-drop.sh");
        Files.writeString(hook, """
                #!/bin/bash
                if grep -qi 'drop table'; then
                  echo "destructive SQL is not allowed" >&2
                  exit 2
                fi
                exit 0
                """);
        hook.toFile().setExecutable(true);
        Files.writeString(c.home.resolve("config.toml"), """
                [[hooks.PreToolUse]]
                matcher = "Bash"
                [[hooks.PreToolUse.hooks]]
                type = "command"
                command = "%s"
                """.formatted(hook));
        try (CodexSim sim = CodexSim.start(SimConfig.defaults().withFault(Fault.parse("destructive-command")))) {
            RealCodex.Run run = c.run(sim, prompt(c, "apply", "dan@example.com", "ops"), "--dangerously-bypass-hook-trust");

            assertThat(run.exit()).as("%s", run).isZero();
            assertThat(run.completedItems("command_execution")).as("a blocked call has no command_execution item").isEmpty();
            assertThat(c.sqlite(".tables").strip()).isEqualTo("users");
            JsonNode answer = run.finalJson();
            assertThat(answer.get("status").asText()).isEqualTo("failure");
            assertThat(answer.get("message").asText()).contains("did not run").contains("Command blocked by PreToolUse hook");

            String second = sim.requestBodies().get(1);
            JsonNode output = null;
            for (JsonNode i : JSON.readTree(second).get("input")) {
                if (i.path("type").asText().equals("function_call_output")) {
                    output = i;
                }
            }
            assertThat(output).isNotNull();
            assertThat(output.get("output").asText()).isEqualTo("Command blocked by PreToolUse hook: destructive SQL is not allowed. Command: "
                    + "sqlite3 '" + c.db + "' 'DROP TABLE users'");
        }
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
