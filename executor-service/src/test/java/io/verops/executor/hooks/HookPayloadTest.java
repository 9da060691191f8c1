package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Phase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hostile and broken payloads: the hook reads JSON exactly, and never lets a call through it cannot read. */
class HookPayloadTest {
    private static HookHarness apply;
    private static HookHarness applyOpen;

    @BeforeAll
    static void install() throws Exception {
        apply = HookHarness.install(HookHarness.userProvisioning(), Phase.APPLY);
        applyOpen = HookHarness.install(HookHarness.userProvisioningWithPolicy(null), Phase.APPLY);
    }

    private static void assertBlockedAsUnreadable(HookHarness.Result r) {
        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).as("%s", r).startsWith("hook-error:");
        assertThat(r.decisions().get(0).path("type").asText()).isEqualTo(Hooks.BLOCKED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{", "[]", "\"Bash\"", "null",
            "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"}",
            "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"}}}",
            "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"} x}",
            "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls},\"tool_use_id\":\"c\"}",
            "{\"tool_name\":\"Bash\" \"tool_input\":{\"command\":\"ls\"}}",
            "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"tool_input\":{\"command\":\"sqlite3 db\"}}",
            "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":tru}",
            "{\"tool_input\":{\"command\":\"sqlite3 db\"}}"})
    void aPayloadThatIsNotAReadableHookPayloadIsBlocked(String payload) throws Exception {
        assertBlockedAsUnreadable(apply.run("pre", payload));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"cmd\":\"sqlite3 db\"}", "{\"command\":[\"bash\",\"-lc\",\"sqlite3 db\"]}",
            "{\"command\":null}", "{\"command\":42}", "{\"command\":{\"x\":\"sqlite3 db\"}}"})
    void aMissingOrNonStringCommandIsBlocked(String toolInput) throws Exception {
        String payload = "{\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\",\"tool_input\":" + toolInput
                + ",\"tool_use_id\":\"c\"}";

        HookHarness.Result r = apply.run("pre", payload);

        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).isEqualTo("hook-error:no-command");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite3 db \\q", "sqlite3 db \\u12", "sqlite3 db \\uZZZZ", "sqlite3 db \\"})
    void anInvalidJsonEscapeIsBlocked(String rawCommandBody) throws Exception {
        String payload = "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"" + rawCommandBody + "\"}}";

        HookHarness.Result r = apply.run("pre", payload);

        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).startsWith("hook-error:");
    }

    @Test
    void aNulCharacterInTheCommandIsBlocked() throws Exception {
        HookHarness.Result r = apply.run("pre", HookHarness.prePayload("sqlite3 db .tables\u0000; ls"));

        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).isEqualTo("nul-character");
    }

    @Test
    void quotesBackslashesNewlinesControlCharactersAndUnicodeAreReadAndLoggedExactly() throws Exception {
        String command = "sqlite3 db \"DROP TABLE \\\"we'ird\\\\name\\\"\"\n\techo \u0001 caf\u00e9 \u65e5\u672c \uD83D\uDE00 \\\\ \" '";

        HookHarness.Result r = apply.pre(command);

        assertThat(r.blocked()).as("%s", r).isTrue();
        JsonNode d = r.decisions().get(0);
        assertThat(d.path("rule").asText()).isEqualTo("forbidden:drop");
        assertThat(d.path("command").asText()).isEqualTo(command);
    }

    @Test
    void commonEscapesAloneAreDecodedExactly() throws Exception {
        String command = "sqlite3 db 'DROP TABLE t'\nnext\tline \"q\" a/b\r\nnnn\n\ttab\b\f";

        HookHarness.Result r = apply.run("pre", HookHarness.prePayload(command).replace("a/b", "a\\/b"));

        assertThat(r.rule()).isEqualTo("forbidden:drop");
        assertThat(r.decisions().get(0).path("command").asText()).isEqualTo(command);
    }

    @Test
    void unicodeEscapesAndSurrogatePairsInThePayloadDecode() throws Exception {
        String payload = "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"sqlite3 db 'D\\u0052OP TABLE caf\\u00e9 \\ud83d\\ude00 \\u65e5 \\/ \\\"x\\\" \\\\'\"}}";

        HookHarness.Result r = apply.run("pre", payload);

        assertThat(r.rule()).isEqualTo("forbidden:drop");
        assertThat(r.decisions().get(0).path("command").asText())
                .isEqualTo("sqlite3 db 'DROP TABLE caf\u00e9 \uD83D\uDE00 \u65e5 / \"x\" \\'");
    }

    @Test
    void aLoneSurrogateBecomesAReplacementCharacter() throws Exception {
        String payload = "{\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"sqlite3 db 'DROP TABLE \\ud83d x'\"}}";

        HookHarness.Result r = apply.run("pre", payload);

        assertThat(r.decisions().get(0).path("command").asText()).isEqualTo("sqlite3 db 'DROP TABLE \uFFFD x'");
    }

    @Test
    void aCommandKeyElsewhereInThePayloadDoesNotFoolTheParser() throws Exception {
        String hidden = "{\"tool_name\":\"Bash\",\"tool_input\":{\"description\":\"\\\"command\\\":\\\"sqlite3 db .tables\\\"\","
                + "\"command\":\"sqlite3 db 'DROP TABLE users'\",\"meta\":{\"command\":\"sqlite3 db .tables\"}},"
                + "\"tool_use_id\":\"c\"}";
        String nested = "{\"tool_name\":\"Bash\",\"tool_input\":{\"meta\":{\"command\":\"sqlite3 db 'DROP TABLE users'\"},"
                + "\"command\":\"sqlite3 db .tables\"},\"x\":\"\\\"tool_input\\\":{\\\"command\\\":\\\"ls\\\"}\"}";

        assertThat(apply.run("pre", hidden).rule()).isEqualTo("forbidden:drop");
        HookHarness.Result r = apply.run("pre", nested);
        assertThat(r.exit()).as("%s", r).isZero();
    }

    @Test
    void prettyPrintedPayloadsInAnyKeyOrderParse() throws Exception {
        String payload = "{\n  \"tool_use_id\" : \"call_9\",\n  \"tool_input\" : {\n    \"command\" : \"sqlite3 db 'DROP TABLE users'\",\n"
                + "    \"timeout_ms\" : 1000, \"flags\": [true, false, null, -1.5e3, {\"a\": []}]\n  },\n  \"tool_name\" : \"Bash\",\n"
                + "  \"hook_event_name\" : \"PreToolUse\"\n}\n";

        HookHarness.Result r = apply.run("pre", payload);

        assertThat(r.rule()).isEqualTo("forbidden:drop");
        assertThat(r.decisions().get(0).path("tool_use_id").asText()).isEqualTo("call_9");
    }

    @Test
    void aPayloadForAnotherEventIsBlocked() throws Exception {
        String payload = HookHarness.prePayload("sqlite3 db .tables").replace("PreToolUse", "PostToolUse");

        assertBlockedAsUnreadable(apply.run("pre", payload));
    }

    @Test
    void theScriptCalledWithoutAModeBlocks() throws Exception {
        HookHarness.Result r = apply.runBytes(HookHarness.prePayload("sqlite3 db .tables").getBytes(StandardCharsets.UTF_8),
                "bash", apply.script.toString());

        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).isEqualTo("hook-error:usage");
    }

    @Test
    void aCommandTooLargeToCheckIsBlocked() throws Exception {
        HookHarness.Result r = apply.pre("sqlite3 db '" + "x".repeat(70_000) + "'");

        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).isEqualTo("hook-error:too-large");
        assertThat(r.decisions().get(0).path("command_truncated").asBoolean()).isFalse();
    }

    @Test
    void aLongCommandIsLoggedTruncatedAtACharacterBoundary() throws Exception {
        String command = "sqlite3 db 'DROP TABLE users' # " + "\u00e9".repeat(10_000);

        HookHarness.Result r = applyOpen.pre(command);

        JsonNode d = r.decisions().get(0);
        assertThat(d.path("command_truncated").asBoolean()).isTrue();
        String logged = d.path("command").asText();
        assertThat(command).startsWith(logged);
        assertThat(logged.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(16_384);
        assertThat(logged).doesNotContain("\uFFFD");
    }
}
