package io.verops.executor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.messages.Evidence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence of codex-cli 0.169.0 event streams, as they are (shapes taken from real runs). */
class EvidenceSummaryTest {
    static List<JsonNode> events(String... lines) {
        return java.util.Arrays.stream(lines).map(Json::parse).toList();
    }

    static final String START = "{\"type\":\"thread.started\",\"thread_id\":\"t\"}";
    static final String WARNING = "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"error\","
            + "\"message\":\"`--dangerously-bypass-hook-trust` is enabled.\"}}";
    static final String TURN = "{\"type\":\"turn.started\"}";
    static final String DONE = "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":30,\"cached_input_tokens\":0,"
            + "\"output_tokens\":15,\"reasoning_output_tokens\":0}}";

    static String command(String id, String command, String output, Integer exit, String status, boolean started) {
        return "{\"type\":\"item." + (started ? "started" : "completed") + "\",\"item\":{\"id\":\"" + id + "\","
                + "\"type\":\"command_execution\",\"command\":" + Json.write(command) + ",\"aggregated_output\":"
                + Json.write(output) + ",\"exit_code\":" + exit + ",\"status\":\"" + status + "\"}}";
    }

    static String message(String id, String text) {
        return "{\"type\":\"item.completed\",\"item\":{\"id\":\"" + id + "\",\"type\":\"agent_message\",\"text\":"
                + Json.write(text) + "}}";
    }

    @Test
    void aFailingCommandThenTheFinalMessage() {
        Evidence e = EvidenceSummary.of(events(START, WARNING, TURN,
                command("item_3", "/bin/bash -lc 'cat hello.txt; ls nonexistent_file; exit 3'", "", null, "in_progress", true),
                command("item_3", "/bin/bash -lc 'cat hello.txt; ls nonexistent_file; exit 3'",
                        "hello\nls: cannot access 'nonexistent_file': No such file or directory\n", 3, "failed", false),
                message("item_4", "Finished."), DONE));
        assertThat(e.commands()).singleElement().satisfies(c -> {
            assertThat(c.command()).isEqualTo("cat hello.txt; ls nonexistent_file; exit 3");
            assertThat(c.exitCode()).isEqualTo(3);
            assertThat(c.status()).isEqualTo("failed");
            assertThat(c.succeeded()).isFalse();
            assertThat(c.outputTail()).endsWith("No such file or directory");
            assertThat(c.errorLines()).isZero();
        });
        assertThat(e.lastEventType()).isEqualTo("agent_message");
        assertThat(e.turnFailed()).isNull();
    }

    @Test
    void codexsRequotedBashWrapperIsRemoved() {
        // as codex-cli 0.169.0 reported a command of the sim's destructive-output and error-flood faults
        String reported = "/bin/bash -c \"echo 'deleted 3 rows'; for i in \"'$(seq 1 20); do echo \"error: simulated error line $i of 20\"; done; sqlite3 -cmd '\"'.timeout 5000' '/srv/t/users.db' 'INSERT INTO users(email, role, team, created_at) VALUES('\\\\''a@example.com'\\\\'', '\\\\''admin'\\\\'', '\\\\''x'\\\\'', strftime('\\\\''%Y-%m-%dT%H:%M:%SZ'\\\\'','\\\\''now'\\\\''));'\"";
        assertThat(EvidenceSummary.unwrap(reported)).isEqualTo("echo 'deleted 3 rows'; for i in $(seq 1 20); do echo \"error: simulated error line $i of 20\"; done; sqlite3 -cmd '.timeout 5000' '/srv/t/users.db' 'INSERT INTO users(email, role, team, created_at) VALUES('\\''a@example.com'\\'', '\\''admin'\\'', '\\''x'\\'', strftime('\\''%Y-%m-%dT%H:%M:%SZ'\\'','\\''now'\\''));'");
        assertThat(EvidenceSummary.unquoteWord("\"a \\\"b\\\" \\$c\"'d e'f\\ g")).isEqualTo("a \"b\" $cd ef g");
        assertThat(EvidenceSummary.unwrap("/bin/bash -c two words")).isEqualTo("/bin/bash -c two words");
        assertThat(EvidenceSummary.unwrap("/bin/bash -lc 'unclosed")).isEqualTo("/bin/bash -lc 'unclosed");
        assertThat(EvidenceSummary.unwrap("/usr/bin/env x")).isEqualTo("/usr/bin/env x");
    }

    @Test
    void aCommandStillRunningWhenCodexStoppedAndAFailedTurn() {
        Evidence e = EvidenceSummary.of(events(START, TURN,
                command("item_1", "/bin/bash -c 'sleep 100'", "", null, "in_progress", true),
                "{\"type\":\"error\",\"message\":\"stream disconnected\"}",
                "{\"type\":\"turn.failed\",\"error\":{\"message\":\"stream disconnected before completion\"}}"));
        assertThat(e.commands()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo("in_progress");
            assertThat(c.exitCode()).isNull();
        });
        assertThat(e.turnFailed()).isEqualTo("stream disconnected before completion");
        assertThat(e.lastEventType()).isEqualTo("turn.failed");
    }

    @Test
    void aCommandAfterTheLastMessageMakesTheMessageNotLast() {
        Evidence e = EvidenceSummary.of(events(START, TURN, message("item_1", "{}"),
                command("item_2", "/bin/bash -c 'echo late'", "late\n", 0, "completed", false), DONE));
        assertThat(e.lastEventType()).isEqualTo("command_execution");
    }

    @Test
    void errorLinesAndDestructiveOutputAreCountedOnTheWholeOutput() {
        StringBuilder out = new StringBuilder("deleted 3 rows\n");
        for (int i = 1; i <= 20; i++) {
            out.append("error: simulated error line ").append(i).append(" of 20\n");
        }
        out.append("x".repeat(2000)).append('\n');
        Evidence e = EvidenceSummary.of(events(START, TURN,
                command("item_1", "/bin/bash -c 'x'", out.toString(), 0, "completed", false), message("item_2", "{}"),
                DONE));
        Evidence.Command c = e.commands().get(0);
        assertThat(c.errorLines()).isEqualTo(20);
        assertThat(c.destructiveOutput()).isEqualTo("deleted 3 rows");
        assertThat(c.outputTail()).hasSize(EvidenceSummary.OUTPUT_TAIL_CHARS).startsWith("...");
        Evidence undeleted = EvidenceSummary.of(events(command("i", "x", "undeleted_rows=0\nErrors: none", 0,
                "completed", false)));
        assertThat(undeleted.commands().get(0).destructiveOutput()).isNull();
        assertThat(undeleted.commands().get(0).errorLines()).isEqualTo(1);
    }

    @Test
    void theHooksDecisionsBecomeBlockedCommandsAndFlags() {
        List<JsonNode> decisions = events(
                "{\"type\":\"verops.hook.blocked\",\"hook\":\"PreToolUse\",\"rule\":\"forbidden:drop\",\"rules\":"
                        + "[\"forbidden:drop\"],\"reason\":\"DROP of a table is forbidden\",\"tool\":\"Bash\","
                        + "\"command\":\"sqlite3 db 'DROP TABLE users'\",\"tool_use_id\":\"c1\"}",
                "{\"type\":\"verops.hook.flagged\",\"hook\":\"PostToolUse\",\"rule\":\"destructive-output\",\"rules\":"
                        + "[\"destructive-output\",\"error-flood\"],\"reason\":\"the output reports something deleted\","
                        + "\"tool\":\"Bash\",\"command\":\"echo x\",\"error_lines\":20,\"limit\":10}");
        Evidence e = EvidenceSummary.of(events(START, TURN, message("m", "{}"), DONE), decisions);
        assertThat(e.blockedCommands()).containsExactly(new Evidence.BlockedCommand("sqlite3 db 'DROP TABLE users'",
                "forbidden:drop", "DROP of a table is forbidden"));
        assertThat(e.flags()).containsExactly(
                new Evidence.Flag("destructive-output", "echo x", "the output reports something deleted", null),
                new Evidence.Flag("error-flood", "echo x", null, 20));
    }

    @Test
    void theSummaryValidatesAgainstTheResultSchema() {
        Evidence e = EvidenceSummary.of(events(START, WARNING, TURN,
                command("item_1", "/bin/bash -c 'echo hi'", "hi\n", 0, "completed", false), message("m", "{}"), DONE));
        var result = Json.mapper().createObjectNode();
        result.put("batch_id", "b").put("operation", "o").put("item_id", "i").put("row", 1).put("phase", "apply")
                .put("attempts", 1).put("retried", false).put("audit_events", 5).put("started_at", "2026-01-01T00:00:00Z")
                .put("finished_at", "2026-01-01T00:00:01Z").put("codex_millis", 10);
        result.putObject("usage").put("input_tokens", 1).put("cached_input_tokens", 0).put("output_tokens", 1)
                .put("reasoning_output_tokens", 0);
        result.set("evidence", Json.tree(e));
        assertThat(io.verops.core.schema.MessageSchemas.named("result.json").validate(result)).isEmpty();
    }
}
