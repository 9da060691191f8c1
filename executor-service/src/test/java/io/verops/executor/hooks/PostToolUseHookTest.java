package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Phase;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PostToolUse hook: destructive output and error floods are flagged, recorded and shown to the model. */
class PostToolUseHookTest {
    private static HookHarness apply;
    private static HookHarness limitThree;

    @BeforeAll
    static void install() throws Exception {
        apply = HookHarness.install(HookHarness.userProvisioning(), Phase.APPLY);
        limitThree = HookHarness.install(HookHarness.userProvisioningWithPolicy("{\"error_flood_limit\": 3}"), Phase.DRY_RUN);
    }

    private static String errorLines(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "error: simulated error line " + i + " of " + n)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"deleted 3 rows", "Table users DROPPED", "log truncated.", "rows: 2 (Deleted)"})
    void destructiveOutputIsFlaggedAndTheModelKeepsTheOutputWithAWarning(String line) throws Exception {
        HookHarness.Result r = apply.post("sqlite3 db 'SELECT 1'", "ok\n" + line + "\nmore\n");

        assertThat(r.exit()).as("%s", r).isZero();
        JsonNode out = HookHarness.JSON.readTree(r.stdout());
        assertThat(out.path("hookSpecificOutput").path("hookEventName").asText()).isEqualTo("PostToolUse");
        assertThat(out.path("hookSpecificOutput").path("additionalContext").asText())
                .contains("verops warning").contains("deleted, dropped or truncated");
        assertThat(r.decisions()).hasSize(1);
        JsonNode d = r.decisions().get(0);
        assertThat(d.path("type").asText()).isEqualTo(Hooks.FLAGGED);
        assertThat(d.path("hook").asText()).isEqualTo("PostToolUse");
        assertThat(d.path("rule").asText()).isEqualTo("destructive-output");
        assertThat(d.path("match").asText()).isEqualTo(line);
        assertThat(d.path("command").asText()).isEqualTo("sqlite3 db 'SELECT 1'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"undeleted drafts: 0", "nothing was dropped_rows", "1 row inserted", ""})
    void outputWithoutADestructiveWordIsNotFlagged(String output) throws Exception {
        HookHarness.Result r = apply.post("sqlite3 db 'SELECT 1'", output);

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.decisions()).isEmpty();
    }

    @Test
    void anErrorFloodIsFlaggedAndAShortOneIsShownWholeWithTheWarning() throws Exception {
        HookHarness.Result r = apply.post("for i in $(seq 1 20); do echo error; done", errorLines(20));

        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.stderr()).contains("verops warning").contains("20 lines mentioning error (limit 10)")
                .contains(errorLines(20).strip());
        JsonNode d = r.decisions().get(0);
        assertThat(d.path("rule").asText()).isEqualTo("error-flood");
        assertThat(d.path("error_lines").asInt()).isEqualTo(20);
        assertThat(d.path("limit").asInt()).isEqualTo(10);
        assertThat(d.path("excerpt").asText()).startsWith("error: simulated error line 1 of 20\n").hasLineCount(3);
    }

    @Test
    void aLongErrorFloodIsCondensedToItsFirstAndLastLines() throws Exception {
        HookHarness.Result r = apply.post("make", errorLines(500));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("error: simulated error line 20 of 500\n[... 460 more lines ...]\n"
                + "error: simulated error line 481 of 500").doesNotContain("line 21 of 500").contains("line 500 of 500");
    }

    @Test
    void destructiveOutputAndAnErrorFloodAreOneDecisionWithBothRules() throws Exception {
        HookHarness.Result r = apply.post("x", "deleted 3 rows\n" + errorLines(20));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.decisions()).hasSize(1);
        assertThat(r.decisions().get(0).path("rules").toString()).isEqualTo("[\"destructive-output\",\"error-flood\"]");
    }

    @Test
    void errorsUpToTheLimitAreNotAFloodAndTheOperationsLimitApplies() throws Exception {
        assertThat(apply.post("x", errorLines(10)).decisions()).isEmpty();
        assertThat(limitThree.post("x", errorLines(3)).decisions()).isEmpty();
        HookHarness.Result r = limitThree.post("x", errorLines(4));
        assertThat(r.decisions().get(0).path("limit").asInt()).isEqualTo(3);
        assertThat(r.decisions().get(0).path("phase").asText()).isEqualTo("dry_run");
    }

    @Test
    void aLargeOutputIsCheckedWhole() throws Exception {
        String big = "x".repeat(100) + "\n";
        String output = big.repeat(3000) + "table users dropped\n" + errorLines(12);

        HookHarness.Result r = apply.post("sqlite3 db .dump", output);

        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        JsonNode d = r.decisions().get(0);
        assertThat(d.path("rules").toString()).isEqualTo("[\"destructive-output\",\"error-flood\"]");
        assertThat(d.path("match").asText()).isEqualTo("table users dropped");
        assertThat(d.path("error_lines").asInt()).isEqualTo(12);
        assertThat(d.path("command").asText()).isEqualTo("sqlite3 db .dump");
        assertThat(r.stderr()).contains("condensed");
    }

    @Test
    void anOutputTooLargeToCheckIsRecordedAsUnchecked() throws Exception {
        HookHarness.Result r = apply.post("cat big.log", "y".repeat(4_200_000));

        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.path("type").asText()).isEqualTo(Hooks.FLAGGED);
            assertThat(d.path("rule").asText()).isEqualTo("hook-error:too-large");
            assertThat(d.path("reason").asText()).contains("was not checked");
        });
    }

    @Test
    void aPostPayloadTheHookCannotReadIsRecordedAsAFlag() throws Exception {
        HookHarness.Result r = apply.run("post", "{\"tool_name\":\"Bash\",\"tool_response\":\"x");

        assertThat(r.exit()).isZero();
        assertThat(r.decisions()).hasSize(1);
        assertThat(r.decisions().get(0).path("type").asText()).isEqualTo(Hooks.FLAGGED);
        assertThat(r.decisions().get(0).path("rule").asText()).isEqualTo("hook-error:unreadable-payload");
    }

    @Test
    void aStructuredToolResponseIsScannedToo() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode p = HookHarness.base("PostToolUse", "mcp__db__query");
        p.putObject("tool_input").put("sql", "SELECT 1");
        p.putObject("tool_response").put("exit_code", 0).putArray("lines").add("ok").add("3 rows deleted");
        p.put("tool_use_id", "call_3");

        HookHarness.Result r = apply.run("post", p.toString());

        assertThat(r.decisions().get(0).path("rule").asText()).isEqualTo("destructive-output");
        assertThat(r.decisions().get(0).path("tool").asText()).isEqualTo("mcp__db__query");
    }
}
