package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.codexsim.CodexSim;
import io.verops.codexsim.Fault;
import io.verops.codexsim.FaultKind;
import io.verops.codexsim.SimConfig;
import io.verops.core.Phase;
import io.verops.core.messages.ItemMessage;
import io.verops.core.operation.Operation;
import io.verops.executor.CodexCommand;
import io.verops.executor.ModelEndpoint;
import io.verops.executor.Prompt;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hooks in the real codex-cli binary's loop, with codex-sim as the model: {@code codex exec} is run exactly
 * as {@link CodexCommand#argv} builds it, plus the arguments {@link Hooks#install} returns and the run's
 * {@code CODEX_HOME}.
 */
class HooksWithRealCodexTest {
    private static final String EMAIL = "alice@example.com";
    private static Operation op;

    @BeforeAll
    static void needsTheCodexBinary() {
        assumeTrue(Files.isExecutable(codex()), "codex binary missing at " + codex() + "; run scripts/setup-tools.sh");
        op = HookHarness.userProvisioning();
    }

    static Path codex() {
        return HookHarness.root().resolve(".tools/codex/node_modules/.bin/codex");
    }

    @Test
    void aForbiddenDropTableIsBlockedWhileTheRunGoesOnAndFinishes() throws Exception {
        Run run = Run.of(Phase.APPLY, FaultKind.DESTRUCTIVE_COMMAND);

        assertThat(run.exit).as("%s", run).isZero();
        assertThat(run.commands()).as("no command_execution item for the blocked call").isEmpty();
        assertThat(run.sqlite("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'")).isEqualTo("users");
        assertThat(run.decisions).singleElement().satisfies(d -> {
            assertThat(d.path("type").asText()).isEqualTo(Hooks.BLOCKED);
            assertThat(d.path("hook").asText()).isEqualTo("PreToolUse");
            assertThat(d.path("rule").asText()).isEqualTo("forbidden:drop");
            assertThat(d.path("command").asText()).contains("DROP TABLE users");
            assertThat(d.path("tool_use_id").asText()).isNotBlank();
        });
        assertThat(run.ofType("turn.completed")).hasSize(1);
        assertThat(run.finalMessage().path("status").asText()).isEqualTo("failure");
        assertThat(run.modelSaw()).contains("blocked by PreToolUse hook").contains("rule forbidden:drop");
    }

    @Test
    void aWriteInADryRunIsBlocked() throws Exception {
        Run run = Run.of(Phase.DRY_RUN, FaultKind.WRITE_IN_DRY_RUN);

        assertThat(run.exit).as("%s", run).isZero();
        assertThat(run.commands()).isEmpty();
        assertThat(run.sqlite("SELECT count(*) FROM users")).isEqualTo("0");
        assertThat(run.decisions).singleElement().satisfies(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("dry-run-write:sql");
            assertThat(d.path("phase").asText()).isEqualTo("dry_run");
            assertThat(d.path("command").asText()).contains("INSERT INTO users");
        });
        assertThat(run.ofType("turn.completed")).hasSize(1);
    }

    @Test
    void anAllowedCommandRunsInTheApplyAndTheDryRun() throws Exception {
        Run apply = Run.of(Phase.APPLY, null);

        assertThat(apply.exit).as("%s", apply).isZero();
        assertThat(apply.decisions).isEmpty();
        assertThat(apply.commands()).singleElement().satisfies(c -> {
            assertThat(c.path("command").asText()).contains("INSERT INTO users");
            assertThat(c.path("exit_code").asInt()).isZero();
        });
        assertThat(apply.sqlite("SELECT email FROM users")).isEqualTo(EMAIL);
        assertThat(apply.finalMessage().path("status").asText()).isEqualTo("success");

        Run dry = Run.of(Phase.DRY_RUN, null);
        assertThat(dry.decisions).isEmpty();
        assertThat(dry.commands()).singleElement().satisfies(c -> assertThat(c.path("exit_code").asInt()).isZero());
        assertThat(dry.finalMessage().path("status").asText()).isEqualTo("success");
    }

    @Test
    void destructiveOutputIsFlaggedTheModelIsWarnedAndTheRealOutputStaysInTheEvents() throws Exception {
        Run run = Run.of(Phase.APPLY, FaultKind.DESTRUCTIVE_OUTPUT);

        assertThat(run.exit).as("%s", run).isZero();
        assertThat(run.commands()).singleElement().satisfies(c ->
                assertThat(c.path("aggregated_output").asText()).startsWith("deleted 3 rows\n"));
        assertThat(run.decisions).singleElement().satisfies(d -> {
            assertThat(d.path("type").asText()).isEqualTo(Hooks.FLAGGED);
            assertThat(d.path("hook").asText()).isEqualTo("PostToolUse");
            assertThat(d.path("rule").asText()).isEqualTo("destructive-output");
            assertThat(d.path("match").asText()).isEqualTo("deleted 3 rows");
        });
        assertThat(run.modelSaw()).contains("verops warning").contains("deleted 3 rows");
        assertThat(run.sqlite("SELECT email FROM users")).isEqualTo(EMAIL);
    }

    @Test
    void anErrorFloodIsFlaggedAndTheModelSeesTheWarningWithTheOutput() throws Exception {
        Run run = Run.of(Phase.APPLY, FaultKind.ERROR_FLOOD);

        assertThat(run.exit).as("%s", run).isZero();
        assertThat(run.commands()).singleElement().satisfies(c ->
                assertThat(c.path("aggregated_output").asText()).contains("error: simulated error line 20 of 20"));
        assertThat(run.decisions).singleElement().satisfies(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("error-flood");
            assertThat(d.path("error_lines").asInt()).isEqualTo(20);
            assertThat(d.path("limit").asInt()).isEqualTo(10);
        });
        assertThat(run.modelSaw()).contains("20 lines mentioning error (limit 10)").contains("simulated error line 20 of 20");
    }

    /** One {@code codex exec} run of one item with the hooks installed. */
    private static final class Run {
        final Path dir;
        final Path db;
        int exit;
        final List<JsonNode> events = new ArrayList<>();
        List<JsonNode> decisions;
        List<String> requests;

        private Run(Path dir) {
            this.dir = dir;
            this.db = dir.resolve("data").resolve("users.db");
        }

        static Run of(Phase phase, FaultKind fault) throws Exception {
            Run r = new Run(Files.createDirectories(HookHarness.runsRoot().resolve("codex-" + phase.wire() + "-"
                    + (fault == null ? "clean" : fault.specName()) + "-" + UUID.randomUUID().toString().substring(0, 8))));
            r.execute(phase, fault);
            return r;
        }

        private void execute(Phase phase, FaultKind fault) throws Exception {
            Path home = Files.createDirectories(dir.resolve("codex-home"));
            Path workspace = Files.createDirectories(dir.resolve("workspace"));
            Files.createDirectories(db.getParent());
            sqlite(Files.readString(op.target().setupSql()));
            ItemMessage item = new ItemMessage("B-hooks", op.name(), EMAIL, 1, phase,
                    Map.of("email", EMAIL, "role", "admin", "team", "ops"), Instant.now());
            SimConfig config = fault == null ? SimConfig.defaults() : SimConfig.defaults().withFault(Fault.of(fault));
            try (CodexSim sim = CodexSim.start(config)) {
                List<String> argv = new ArrayList<>(CodexCommand.argv(codex(), op, phase, ModelEndpoint.codexSim(sim.baseUrl()),
                        workspace, dir.resolve("last-message.txt"), List.of(db.getParent()), Prompt.build(op, item, db.toString())));
                List<String> extra = Hooks.install(home, op, phase, dir.resolve("decisions.jsonl"));
                argv.addAll(argv.indexOf("--"), extra);
                ProcessBuilder pb = new ProcessBuilder(argv)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(dir.resolve("events.jsonl").toFile())
                        .redirectError(dir.resolve("stderr.log").toFile());
                pb.environment().put("CODEX_HOME", home.toString());
                Process p = pb.start();
                if (!p.waitFor(180, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    throw new AssertionError("codex did not finish in 180 s in " + dir);
                }
                exit = p.exitValue();
                requests = sim.requestBodies();
            }
            for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
                if (!line.isBlank()) {
                    events.add(HookHarness.JSON.readTree(line));
                }
            }
            decisions = Hooks.decisions(dir.resolve("decisions.jsonl"));
        }

        List<JsonNode> ofType(String type) {
            return events.stream().filter(e -> type.equals(e.path("type").asText())).toList();
        }

        List<JsonNode> commands() {
            return ofType("item.completed").stream().map(e -> e.path("item"))
                    .filter(i -> "command_execution".equals(i.path("type").asText())).toList();
        }

        JsonNode finalMessage() throws IOException {
            JsonNode last = null;
            for (JsonNode e : ofType("item.completed")) {
                if ("agent_message".equals(e.path("item").path("type").asText())) {
                    last = e.path("item");
                }
            }
            assertThat(last).as("a final agent message in %s", dir).isNotNull();
            return HookHarness.JSON.readTree(last.path("text").asText());
        }

        /** What the model received after its first tool call: the last request body codex sent the sim. */
        String modelSaw() {
            assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
            return requests.get(requests.size() - 1);
        }

        String sqlite(String sql) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("sqlite3", db.toString(), sql).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(30, TimeUnit.SECONDS);
            assertThat(p.exitValue()).as("sqlite3: %s", out).isZero();
            return out;
        }

        @Override
        public String toString() {
            return "codex run in " + dir + " (exit " + exit + ", " + events.size() + " events, decisions " + decisions + ")";
        }
    }
}
