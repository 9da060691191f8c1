package io.verops.codexsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.codexsim.Fault;
import io.verops.codexsim.FaultKind;
import io.verops.codexsim.TestBodies;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static io.verops.codexsim.TestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

class SimEngineTest {

    static final String DB = "/data/users.db";

    private static SimEngine engine(Fault... faults) {
        return new SimEngine(PolicyRegistry.defaults(), new FaultBook(List.of(faults)), JSON);
    }

    record Event(String type, JsonNode data) {
    }

    static List<Event> events(Reply reply) throws Exception {
        assertThat(reply).isInstanceOf(Reply.Stream.class);
        String sse = ((Reply.Stream) reply).sse();
        assertThat(sse).endsWith("\n\n");
        List<Event> events = new ArrayList<>();
        for (String block : sse.split("\n\n")) {
            String[] lines = block.split("\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            JsonNode data = JSON.readTree(lines[1].substring(6));
            assertThat(data.get("type").asText()).isEqualTo(lines[0].substring(7));
            events.add(new Event(lines[0].substring(7), data));
        }
        return events;
    }

    static JsonNode onlyItem(Reply reply) throws Exception {
        List<Event> ev = events(reply);
        assertThat(ev).extracting(Event::type)
                .containsExactly("response.created", "response.output_item.done", "response.completed");
        return ev.get(1).data().get("item");
    }

    static String cmdOf(JsonNode functionCall) throws Exception {
        assertThat(functionCall.get("type").asText()).isEqualTo("function_call");
        assertThat(functionCall.get("name").asText()).isEqualTo("exec_command");
        return JSON.readTree(functionCall.get("arguments").asText()).get("cmd").asText();
    }

    static String textOf(JsonNode message) {
        assertThat(message.get("type").asText()).isEqualTo("message");
        assertThat(message.get("role").asText()).isEqualTo("assistant");
        return message.get("content").get(0).get("text").asText();
    }

    /** Runs turn 1, then feeds {@code exit}/{@code output} back as codex would; returns the final text. */
    static Conversation converse(SimEngine engine, ObjectNode item, int exit, String output) throws Exception {
        ObjectNode body1 = TestBodies.turn1(TestBodies.prompt(item));
        JsonNode call = onlyItem(engine.reply(bytes(body1), 1));
        ObjectNode body2 = TestBodies.next(body1, (ObjectNode) call, TestBodies.execOutput(exit, output));
        JsonNode msg = onlyItem(engine.reply(bytes(body2), 2));
        return new Conversation(cmdOf(call), textOf(msg));
    }

    record Conversation(String cmd, String finalText) {
        JsonNode finalJson() throws Exception {
            return JSON.readTree(finalText);
        }
    }

    static byte[] bytes(JsonNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ObjectNode apply(String id) {
        return TestBodies.item("apply", id, "admin", "ops", DB);
    }

    static ObjectNode dryRun(String id) {
        return TestBodies.item("dry_run", id, "admin", "ops", DB);
    }

    static void assertSchemaShaped(JsonNode answer) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = answer.fieldNames();
        it.forEachRemaining(names::add);
        assertThat(names).containsExactly("item_id", "status", "dry_run", "message", "changes");
        assertThat(answer.get("item_id").isTextual()).isTrue();
        assertThat(answer.get("status").asText()).isIn("success", "failure", "skipped");
        assertThat(answer.get("dry_run").isBoolean()).isTrue();
        assertThat(answer.get("message").isTextual()).isTrue();
        assertThat(answer.get("changes").isArray()).isTrue();
        answer.get("changes").forEach(c -> assertThat(c.isTextual()).isTrue());
    }

    @Test
    void apply_turn_one_is_one_exec_command_inserting_the_user_in_a_non_login_shell() throws Exception {
        JsonNode call = onlyItem(engine().reply(bytes(TestBodies.turn1(TestBodies.prompt(apply("a@x.com")))), 1));
        assertThat(cmdOf(call)).isEqualTo(UserProvisioningPolicy.insertCommand(DB, "a@x.com", "admin", "ops", "users"));
        assertThat(cmdOf(call)).startsWith("sqlite3 -cmd '.timeout 5000' '/data/users.db' 'INSERT INTO users(email, role, team, created_at) VALUES(");
        assertThat(JSON.readTree(call.get("arguments").asText()).get("login").asBoolean()).isFalse();
        assertThat(call.get("call_id").asText()).isEqualTo("call_vp_insert_1");
    }

    @Test
    void apply_succeeds_only_when_the_command_exited_zero() throws Exception {
        Conversation ok = converse(engine(), apply("a@x.com"), 0, "");
        assertSchemaShaped(ok.finalJson());
        assertThat(ok.finalJson().get("status").asText()).isEqualTo("success");
        assertThat(ok.finalJson().get("dry_run").asBoolean()).isFalse();
        assertThat(ok.finalJson().get("item_id").asText()).isEqualTo("a@x.com");
        assertThat(ok.finalJson().get("changes").get(0).asText()).isEqualTo("inserted user a@x.com with role admin in team ops");

        Conversation bad = converse(engine(), apply("a@x.com"), 19, "Error: stepping, UNIQUE constraint failed: users.email (19)\n");
        assertSchemaShaped(bad.finalJson());
        assertThat(bad.finalJson().get("status").asText()).isEqualTo("failure");
        assertThat(bad.finalJson().get("message").asText()).contains("exit code 19").contains("UNIQUE constraint failed");
        assertThat(bad.finalJson().get("changes")).isEmpty();
    }

    @Test
    void dry_run_reads_only_and_describes_what_would_be_done() throws Exception {
        Conversation absent = converse(engine(), dryRun("d@x.com"), 0, "0\n");
        assertThat(absent.cmd()).isEqualTo(UserProvisioningPolicy.checkCommand(DB, "d@x.com", "users"));
        assertThat(absent.cmd()).startsWith("sqlite3 -readonly ").doesNotContain("INSERT");
        assertSchemaShaped(absent.finalJson());
        assertThat(absent.finalJson().get("status").asText()).isEqualTo("success");
        assertThat(absent.finalJson().get("dry_run").asBoolean()).isTrue();
        assertThat(absent.finalJson().get("changes").get(0).asText()).isEqualTo("would insert user d@x.com with role admin in team ops");

        Conversation present = converse(engine(), dryRun("d@x.com"), 0, "1\n");
        assertThat(present.finalJson().get("status").asText()).isEqualTo("failure");
        assertThat(present.finalJson().get("message").asText()).contains("already exists");
        assertThat(present.finalJson().get("dry_run").asBoolean()).isTrue();
    }

    @Test
    void an_unknown_operation_fails_at_once_saying_there_is_no_policy() throws Exception {
        ObjectNode item = TestBodies.item("invoice-archive", "apply", "q1", Map.of("quota", "5"), DB);
        JsonNode msg = onlyItem(engine().reply(bytes(TestBodies.turn1(TestBodies.prompt(item))), 1));
        JsonNode answer = JSON.readTree(textOf(msg));
        assertSchemaShaped(answer);
        assertThat(answer.get("item_id").asText()).isEqualTo("q1");
        assertThat(answer.get("status").asText()).isEqualTo("failure");
        assertThat(answer.get("message").asText()).contains("no scripted policy for operation 'invoice-archive'");
    }

    @Test
    void a_prompt_without_an_item_block_gets_a_failure_answer() throws Exception {
        JsonNode answer = JSON.readTree(textOf(onlyItem(engine().reply(bytes(TestBodies.turn1("hello")), 1))));
        assertSchemaShaped(answer);
        assertThat(answer.get("status").asText()).isEqualTo("failure");
        assertThat(answer.get("message").asText()).contains("no -----BEGIN VEROPS ITEM----- ... -----END VEROPS ITEM----- block");
    }

    @Test
    void a_body_that_is_not_json_is_a_400() {
        Reply r = engine().reply("nope".getBytes(StandardCharsets.UTF_8), 1);
        assertThat(r).isInstanceOfSatisfying(Reply.Error.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void usage_grows_with_the_prompt_and_later_turns_report_cached_tokens() throws Exception {
        SimEngine engine = engine();
        ObjectNode body1 = TestBodies.turn1(TestBodies.prompt(apply("a@x.com")));
        List<Event> ev1 = events(engine.reply(bytes(body1), 1));
        JsonNode u1 = ev1.get(2).data().get("response").get("usage");
        ObjectNode body2 = TestBodies.next(body1, (ObjectNode) ev1.get(1).data().get("item"), TestBodies.execOutput(0, ""));
        JsonNode u2 = events(engine.reply(bytes(body2), 2)).get(2).data().get("response").get("usage");

        assertThat(u1.get("input_tokens").asInt()).isEqualTo(bytes(body1).length / 4);
        assertThat(u1.get("input_tokens_details").get("cached_tokens").asInt()).isZero();
        assertThat(u2.get("input_tokens").asInt()).isGreaterThan(u1.get("input_tokens").asInt());
        assertThat(u2.get("input_tokens_details").get("cached_tokens").asInt()).isPositive()
                .isLessThan(u2.get("input_tokens").asInt());
        assertThat(u2.get("output_tokens_details").get("reasoning_tokens").asInt()).isEqualTo(SimEngine.REASONING_TOKENS);
        assertThat(u2.get("total_tokens").asInt()).isEqualTo(u2.get("input_tokens").asInt() + u2.get("output_tokens").asInt());
        // deterministic: the same request gets the same usage
        assertThat(events(engine.reply(bytes(body1), 9)).get(2).data().get("response").get("usage")).isEqualTo(u1);
    }

    @Test
    void http_faults_answer_with_an_openai_error_body_and_count_down() throws Exception {
        SimEngine engine = engine(new Fault(FaultKind.HTTP_500, "a@x.com", 1, 1), new Fault(FaultKind.HTTP_429, "b@x.com", 0, 0));
        byte[] a = bytes(TestBodies.turn1(TestBodies.prompt(apply("a@x.com"))));
        Reply first = engine.reply(a, 1);
        assertThat(first).isInstanceOfSatisfying(Reply.Error.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.json()).contains("\"error\"").contains("\"message\"").contains("http500");
        });
        assertThat(engine.reply(a, 2)).isInstanceOf(Reply.Stream.class);
        Reply rateLimited = engine.reply(bytes(TestBodies.turn1(TestBodies.prompt(apply("b@x.com")))), 3);
        assertThat(rateLimited).isInstanceOfSatisfying(Reply.Error.class, e -> assertThat(e.status()).isEqualTo(429));
    }

    @Test
    void a_hang_fault_makes_the_engine_never_answer() {
        Reply r = engine(Fault.of(FaultKind.HANG)).reply(bytes(TestBodies.turn1(TestBodies.prompt(apply("a")))), 1);
        assertThat(r).isInstanceOf(Reply.Hang.class);
    }

    @Test
    void off_schema_gives_json_that_breaks_the_schema() throws Exception {
        JsonNode answer = converse(engine(Fault.parse("off-schema:item=a@x.com")), apply("a@x.com"), 0, "").finalJson();
        assertThat(answer.get("status").asText()).isEqualTo("done");
        assertThat(answer.has("changes")).isFalse();
        assertThat(answer.has("details")).isTrue();
    }

    @Test
    void non_json_gives_prose() throws Exception {
        String text = converse(engine(Fault.parse("non-json")), apply("a@x.com"), 0, "").finalText();
        assertThat(text).startsWith("All done!").doesNotContain("{");
    }

    @Test
    void wrong_item_id_names_another_item() throws Exception {
        JsonNode answer = converse(engine(Fault.parse("wrong-item-id")), apply("a@x.com"), 0, "").finalJson();
        assertSchemaShaped(answer);
        assertThat(answer.get("item_id").asText()).isEqualTo("other-a@x.com");
    }

    @Test
    void claim_success_lies_about_a_failed_command_and_is_not_used_up_by_a_real_success() throws Exception {
        SimEngine engine = engine(new Fault(FaultKind.CLAIM_SUCCESS, null, 0, 1));
        assertThat(converse(engine, apply("a@x.com"), 0, "").finalJson().get("status").asText()).isEqualTo("success");
        JsonNode lie = converse(engine, apply("a@x.com"), 1, "Error: no such table\n").finalJson();
        assertSchemaShaped(lie);
        assertThat(lie.get("status").asText()).isEqualTo("success");
        assertThat(lie.get("changes").get(0).asText()).startsWith("inserted user a@x.com");
        assertThat(converse(engine, apply("a@x.com"), 1, "Error\n").finalJson().get("status").asText()).isEqualTo("failure");
    }

    @Test
    void failing_command_targets_a_missing_table_and_reports_the_failure() throws Exception {
        Conversation c = converse(engine(Fault.parse("failing-command")), apply("a@x.com"), 1,
                "Error: in prepare, no such table: verops_no_such_table\n");
        assertThat(c.cmd()).contains("INSERT INTO verops_no_such_table(");
        assertThat(c.finalJson().get("status").asText()).isEqualTo("failure");
        assertThat(c.finalJson().get("message").asText()).contains("no such table");
        Conversation dry = converse(engine(Fault.parse("failing-command")), dryRun("a@x.com"), 1, "Error\n");
        assertThat(dry.cmd()).startsWith("sqlite3 -readonly ").contains("FROM verops_no_such_table");
    }

    @Test
    void destructive_command_drops_the_table_and_answers_by_what_happened() throws Exception {
        Conversation blocked = converse(engine(Fault.parse("destructive-command")), apply("a@x.com"), 0, "");
        assertThat(blocked.cmd()).isEqualTo("sqlite3 '/data/users.db' 'DROP TABLE users'");

        SimEngine engine = engine(Fault.parse("destructive-command"));
        ObjectNode body1 = TestBodies.turn1(TestBodies.prompt(apply("a@x.com")));
        JsonNode call = onlyItem(engine.reply(bytes(body1), 1));
        String hookOutput = "Command blocked by PreToolUse hook: no DROP. Command: " + cmdOf(call);
        JsonNode afterBlock = JSON.readTree(textOf(onlyItem(engine.reply(bytes(TestBodies.next(body1, (ObjectNode) call, hookOutput)), 2))));
        assertThat(afterBlock.get("status").asText()).isEqualTo("failure");
        assertThat(afterBlock.get("message").asText()).contains("did not run").contains("Command blocked by PreToolUse hook");
        assertThat(afterBlock.get("changes")).isEmpty();

        JsonNode afterDrop = converse(engine(Fault.parse("destructive-command")), apply("a@x.com"), 0, "").finalJson();
        assertThat(afterDrop.get("status").asText()).isEqualTo("failure");
        assertThat(afterDrop.get("changes").get(0).asText()).isEqualTo("dropped table users");
    }

    @Test
    void destructive_output_and_error_flood_prefix_the_normal_work() throws Exception {
        Conversation c = converse(engine(Fault.parse("destructive-output"), Fault.parse("error-flood")), apply("a@x.com"), 0, "");
        assertThat(c.cmd()).startsWith("echo 'deleted 3 rows'; for i in $(seq 1 20); do echo \"error: simulated error line $i of 20\"; done; sqlite3 ")
                .endsWith(UserProvisioningPolicy.insertCommand(DB, "a@x.com", "admin", "ops", "users"));
        assertThat(c.finalJson().get("status").asText()).isEqualTo("success");
    }

    @Test
    void write_in_dry_run_inserts_during_a_dry_run_and_still_describes_it_as_a_dry_run() throws Exception {
        Conversation c = converse(engine(Fault.parse("write-in-dry-run")), dryRun("a@x.com"), 0, "");
        assertThat(c.cmd()).isEqualTo(UserProvisioningPolicy.insertCommand(DB, "a@x.com", "admin", "ops", "users"));
        assertThat(c.finalJson().get("dry_run").asBoolean()).isTrue();
        assertThat(c.finalJson().get("changes").get(0).asText()).startsWith("would insert");
        // it does not apply to apply runs
        assertThat(converse(engine(Fault.parse("write-in-dry-run")), apply("a@x.com"), 0, "").cmd())
                .isEqualTo(UserProvisioningPolicy.insertCommand(DB, "a@x.com", "admin", "ops", "users"));
    }

    @Test
    void a_fault_bound_to_turn_two_leaves_turn_one_alone() throws Exception {
        SimEngine engine = engine(Fault.parse("http500:turn=2"));
        ObjectNode body1 = TestBodies.turn1(TestBodies.prompt(apply("a@x.com")));
        Reply r1 = engine.reply(bytes(body1), 1);
        assertThat(r1).isInstanceOf(Reply.Stream.class);
        ObjectNode body2 = TestBodies.next(body1, (ObjectNode) onlyItem(r1), TestBodies.execOutput(0, ""));
        assertThat(engine.reply(bytes(body2), 2)).isInstanceOfSatisfying(Reply.Error.class, e -> assertThat(e.status()).isEqualTo(500));
    }
}
