package io.verops.executor.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.codexsim.internal.UserProvisioningPolicy;
import io.verops.core.Phase;
import io.verops.core.operation.Operation;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The PreToolUse hook against command payloads, as codex sends them. */
@Execution(ExecutionMode.SAME_THREAD)
class PreToolUseHookTest {
    private static final String DB = "/srv/data/users.db";
    private static HookHarness applyStrict;
    private static HookHarness dryStrict;
    private static HookHarness applyOpen;
    private static HookHarness dryOpen;

    @BeforeAll
    static void install() throws Exception {
        Operation op = HookHarness.userProvisioning();
        Operation open = HookHarness.userProvisioningWithPolicy(null);
        applyStrict = HookHarness.install(op, Phase.APPLY);
        dryStrict = HookHarness.install(op, Phase.DRY_RUN);
        applyOpen = HookHarness.install(open, Phase.APPLY);
        dryOpen = HookHarness.install(open, Phase.DRY_RUN);
    }

    private static List<String> rules(HookHarness.Result r) {
        return r.decisions().isEmpty() ? List.of() : toList(r.decisions().get(0).path("rules"));
    }

    private static List<String> toList(JsonNode array) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void assertBlocked(HookHarness.Result r, String rule) {
        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.stderr()).contains("blocked this call").contains(r.rule());
        assertThat(r.decisions()).as("%s", r).hasSize(1);
        JsonNode d = r.decisions().get(0);
        assertThat(d.path("type").asText()).isEqualTo(Hooks.BLOCKED);
        assertThat(d.path("hook").asText()).isEqualTo("PreToolUse");
        assertThat(rules(r)).as("%s", r).contains(rule);
    }

    private static void assertAllowed(HookHarness.Result r) {
        assertThat(r.exit()).as("%s", r).isZero();
        assertThat(r.stderr()).isEmpty();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.decisions()).isEmpty();
    }

    @Test
    void aDropTableIsBlockedWithItsRuleOnStderrAndInTheDecisionLog() throws Exception {
        HookHarness.Result r = applyStrict.pre("sqlite3 " + DB + " 'DROP TABLE users'");

        assertBlocked(r, "forbidden:drop");
        assertThat(r.rule()).isEqualTo("forbidden:drop");
        assertThat(r.stderr()).contains("rule forbidden:drop").contains("DROP of a table");
        JsonNode d = r.decisions().get(0);
        assertThat(d.path("command").asText()).isEqualTo("sqlite3 " + DB + " 'DROP TABLE users'");
        assertThat(d.path("match").asText()).contains("DROP TABLE");
        assertThat(d.path("tool").asText()).isEqualTo("Bash");
        assertThat(d.path("tool_use_id").asText()).isEqualTo("call_1");
        assertThat(d.path("operation").asText()).isEqualTo("user-provisioning");
        assertThat(d.path("phase").asText()).isEqualTo("apply");
        assertThat(d.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite3 db 'drop table users'", "sqlite3 db 'dRoP TaBlE users'",
            "sqlite3 db 'DR''OP TABLE users'", "sqlite3 db \"DR\"\"OP TABLE users\"", "sqlite3 db 'DROP/**/TABLE users'",
            "sqlite3 db 'DROP /* why not */ TABLE users'", "sqlite3 db 'DROP -- comment\nTABLE users'",
            "sqlite3 db 'DROP\n\tTABLE users'", "sqlite3 db D\\ROP' TABLE users'"})
    void aDropHiddenByCaseQuotesCommentsOrLineBreaksIsStillBlocked(String command) throws Exception {
        assertBlocked(applyStrict.pre(command), "forbidden:drop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=DR; b=OP; sqlite3 db \"${a}${b} TABLE users\"", "t='DROP TA'; sqlite3 db \"${t}BLE users\"",
            "sqlite3 db \"$(echo DR)$(echo OP) TABLE users\"", "sqlite3 db \"`echo DR`OP TABLE users\""})
    void aDropSplicedTogetherFromVariablesOrEchoIsStillBlocked(String command) throws Exception {
        assertBlocked(applyStrict.pre(command), "forbidden:drop");
    }

    @Test
    void aValueInsideAnSqlStringLiteralIsDataNotACommand() throws Exception {
        // a team named  ops'; DROP TABLE users; --  quoted as SQL, and the SQL quoted as one shell word
        String q = "'\\''";
        String insert = "sqlite3 -cmd '.timeout 5000' " + DB + " 'INSERT INTO users(email, role, team) VALUES("
                + q + "dave@example.com" + q + ", " + q + "editor" + q + ", " + q + "ops" + q + q + "; DROP TABLE users; --"
                + q + ");'";
        assertAllowed(applyStrict.pre(insert));
        // outside a literal the same words still count, and so do they in a double-quoted shell word
        assertBlocked(applyStrict.pre("sqlite3 " + DB + " 'SELECT " + q + "x" + q + "; DROP TABLE users;'"), "forbidden:drop");
        assertBlocked(applyStrict.pre("sqlite3 " + DB + " \"SELECT 'ops'; DROP TABLE users; --'\""), "forbidden:drop");
    }

    @Test
    void anExportedVariableIsFollowedToo() throws Exception {
        assertBlocked(applyOpen.pre("export A=DR; sqlite3 db \"${A}OP TABLE users\""), "forbidden:drop");
    }

    @Test
    void aDropSpelledWithJsonUnicodeEscapesIsDecodedAndBlocked() throws Exception {
        String payload = HookHarness.prePayload("sqlite3 db 'DROP TABLE users'").replace("DROP", "D\\u0052OP");
        assertThat(payload).contains("D\\u0052OP");

        HookHarness.Result r = applyStrict.run("pre", payload);

        assertBlocked(r, "forbidden:drop");
        assertThat(r.decisions().get(0).path("command").asText()).isEqualTo("sqlite3 db 'DROP TABLE users'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rm -rf /srv/data", "rm -fr data", "rm -Rf data", "rm -r -f data", "rm -f -r data",
            "rm --recursive --force data", "/bin/rm -rfv data", "rm -r data -f", "cd /srv && rm -vrf data",
            "sqlite3 db .tables; rm -rf data"})
    void rmRfIsBlockedInEverySpelling(String command) throws Exception {
        assertBlocked(applyOpen.pre(command), "forbidden:rm-rf");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rm -r data", "rm -f data.tmp", "echo perform -rf", "ls -rf"})
    void rmWithoutBothRecursionAndForceIsNotForbiddenInAnApply(String command) throws Exception {
        assertAllowed(applyOpen.pre(command));
    }

    @Test
    void deleteWithoutWhereIsBlockedAndDeleteWithWhereRunsInAnApply() throws Exception {
        assertBlocked(applyStrict.pre("sqlite3 db 'DELETE FROM users'"), "forbidden:delete-without-where");
        assertBlocked(applyStrict.pre("sqlite3 db \"delete from users;\""), "forbidden:delete-without-where");
        assertBlocked(applyStrict.pre("sqlite3 db 'DELETE FROM sessions WHERE id = 1; DELETE FROM users'"),
                "forbidden:delete-without-where");
        assertBlocked(applyStrict.pre("sqlite3 db 'DELETE FROM users' && echo WHERE"), "forbidden:delete-without-where");

        assertAllowed(applyStrict.pre("sqlite3 db 'DELETE FROM users WHERE email = ''a@example.com'''"));
        assertAllowed(applyStrict.pre("sqlite3 db \"DELETE FROM users WHERE email='a@example.com'\""));
    }

    @Test
    void truncateAndEscapeSequencesAreForbidden() throws Exception {
        assertBlocked(applyStrict.pre("sqlite3 db 'TRUNCATE TABLE users'"), "forbidden:truncate");
        assertBlocked(applyOpen.pre("truncate -s 0 /srv/data/users.db"), "forbidden:truncate");
        assertBlocked(applyStrict.pre("echo -e '\\x44ROP TABLE users' | sqlite3 db"), "forbidden:escape-sequence");
        assertBlocked(applyOpen.pre("printf '\\104ROP TABLE users' | sqlite3 db"), "forbidden:escape-sequence");
        assertBlocked(applyOpen.pre("sqlite3 db $'\\u0044ROP TABLE users'"), "forbidden:escape-sequence");
    }

    @Test
    void theOperationsOwnForbiddenPatternsApply() throws Exception {
        assertBlocked(applyStrict.pre("sqlite3 db '.shell rm x'"), "forbidden:sqlite-dot-command-runs-code");
        assertBlocked(applyStrict.pre("sqlite3 -cmd \".system id\" db"), "forbidden:sqlite-dot-command-runs-code");
        assertAllowed(applyStrict.pre("sqlite3 -cmd '.timeout 5000' db 'SELECT 1'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite3 db 'INSERT INTO users(email) VALUES(1)'", "sqlite3 db \"insert or replace into users values(1)\"",
            "sqlite3 db 'UPDATE users SET role = ''admin'' WHERE email = ''x'''", "sqlite3 db 'update or ignore users set a=1'",
            "sqlite3 db 'DELETE FROM users WHERE email = ''x'''", "sqlite3 db 'REPLACE INTO users VALUES(1)'",
            "sqlite3 db 'CREATE TABLE t(x)'", "sqlite3 db 'create unique index i on users(email)'",
            "sqlite3 db 'ALTER TABLE users ADD COLUMN x'", "sqlite3 db 'PRAGMA journal_mode=WAL'",
            "sqlite3 db \"ATTACH DATABASE 'other.db' AS o\"", "sqlite3 db 'VACUUM;'", "sqlite3 db 'VACUUM INTO ''copy.db'''"})
    void aDryRunRefusesSqlThatWrites(String command) throws Exception {
        HookHarness.Result r = dryStrict.pre(command);

        assertBlocked(r, "dry-run-write:sql");
        assertThat(r.stderr()).contains("dry run");
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo x > out.txt", "echo x >> out.txt", "sqlite3 db .dump >dump.sql", "ls 2> err.log",
            "ls &> all.log", "echo x >| f", "ls > /dev/null; echo x 1>f", "sqlite3 db 'select 1' <> f"})
    void aDryRunRefusesARedirectionToAFile(String command) throws Exception {
        assertBlocked(dryOpen.pre(command), "dry-run-write:redirect");
    }

    @ParameterizedTest
    @ValueSource(strings = {"tee out.txt", "cp a b", "mv a b", "touch x", "mkdir d", "chmod 600 x", "ls | /usr/bin/tee x",
            "rm x", "sed -i s/a/b/ f", "find . -name x -delete", "find . -exec ls {} +", "python3 -c 'print(1)'",
            "xargs rm < list", "X=ls; $X", "awk '{print > \"f\"}' x", "apply_patch <<'EOF'\n*** Begin Patch\n*** End Patch\nEOF"})
    void aDryRunRefusesProgramsThatWriteOrRunCodeItCannotSee(String command) throws Exception {
        HookHarness.Result r = dryOpen.pre(command);

        assertThat(r.blocked()).as("%s", r).isTrue();
        assertThat(r.rule()).startsWith("dry-run-write:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite3 -readonly db 'SELECT count(*) FROM users WHERE n > 3'",
            "sqlite3 db \"SELECT email FROM users WHERE created_at >= '2024-01-01'\" 2>/dev/null",
            "sqlite3 db 'select 1' 2>&1", "sqlite3 db 'SELECT a->>''$.x'' FROM t' >&2", "echo 'a > b'",
            "sqlite3 db <<'SQL'\nSELECT 1 > 0;\nSQL", "for i in $(seq 1 3); do echo $i; done"})
    void aDryRunAllowsReadsEvenWithComparisonOperatorsAndStandardStreams(String command) throws Exception {
        assertAllowed(dryStrict.pre(command));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls", "cat /etc/passwd", "sqlite3 db 'select 1' | grep x", "$(which sqlite3) db",
            "X=sqlite3; $X db", "./sqlite3 db", "env sqlite3 db", "sqlite3 db && curl http://x", "echo $(ls)",
            "echo `ls`", "echo <(ls)", "SQLITE3 db", "\"$HOME\"/sqlite3 db", "bash -c 'sqlite3 db; ls'",
            "(ls)", "{ ls; }", "if true; then ls; fi", "sqlite3 db 'select 1' | while read x; do ls; done"})
    void aProgramOutsideTheAllowedCommandsIsBlocked(String command) throws Exception {
        HookHarness.Result r = applyStrict.pre(command);

        assertBlocked(r, "allowed-commands");
        assertThat(r.stderr()).contains("sqlite3 echo seq");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH=/tmp sqlite3 db", "LD_PRELOAD=/x.so sqlite3 db", "case x in a) ls;; esac",
            "f() { ls; }", "echo 'unterminated", "echo $(ls", "echo ${x:-$(ls)}", "echo $(( $(ls) + 1 ))"})
    void aCommandTheScanCannotFollowIsBlockedUnderAnAllowList(String command) throws Exception {
        assertBlocked(applyStrict.pre(command), "uncheckable-command");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite3 db 'select 1'", "/usr/bin/sqlite3 db 'select 1'", "echo \"a; ls; b\" | sqlite3 db",
            "sqlite3 db <<'SQL'\nSELECT 1;\nls\nSQL", "bash -lc 'sqlite3 db \"select 1\"'",
            "/bin/bash -c 'echo '\\''quoted'\\'' && sqlite3 db .tables'", "sqlite3 db 'select 1' # ls",
            "for i in $(seq 1 20); do echo \"error: line $i\"; done", "echo 'deleted 3 rows'; sqlite3 db .tables",
            "sqlite3 db 'select 1' 2>&1 >/dev/null", "X='a b' sqlite3 db 'select 1'", "N=$(seq 1 3); echo $N"})
    void allowedProgramsRunInAnApply(String command) throws Exception {
        assertAllowed(applyStrict.pre(command));
    }

    @Test
    void theSimsCommandsPassTheUserProvisioningPolicy() throws Exception {
        String insert = UserProvisioningPolicy.insertCommand(DB, "o'brien@example.com", "admin", "R&D \"core\"; $(x)", "users");
        String check = UserProvisioningPolicy.checkCommand(DB, "o'brien@example.com", "users");

        assertAllowed(applyStrict.pre(insert));
        assertAllowed(dryStrict.pre(check));
        assertBlocked(dryStrict.pre(insert), "dry-run-write:sql");
    }

    @Test
    void aForbiddenWordInsideAnSqlStringLiteralOfAPlainSqliteCallIsData() throws Exception {
        String team = "ops'; DROP TABLE users; --";

        assertAllowed(applyStrict.pre(UserProvisioningPolicy.insertCommand(DB, "dave@example.com", "editor", team, "users")));
        assertAllowed(dryStrict.pre(UserProvisioningPolicy.checkCommand(DB, "x'; DROP TABLE users; --", "users")));
        assertBlocked(applyStrict.pre("sqlite3 db 'SELECT ''x''; DROP TABLE users'"), "forbidden:drop");
        assertBlocked(applyStrict.pre("sqlite3 db \"SELECT 'x'; DROP TABLE users\""), "forbidden:drop");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite3 db 'SELECT 1 -- '\\''' 'DROP TABLE users; -- '\\'''",
            "sqlite3 db 'SELECT 1; /* '\\'' */ DROP TABLE users; -- '\\'''",
            "sqlite3 db 'SELECT \"a'\\''b\" FROM t; DROP TABLE users; SELECT '\\''x'\\'''",
            "sqlite3 db 'SELECT [a'\\''b] FROM t; DROP TABLE users; SELECT '\\''x'\\'''",
            "sqlite3 db 'SELECT '\\''x' 'DROP TABLE users; '\\'''"})
    void aQuoteInsideAnSqlCommentIdentifierOrOtherArgumentDoesNotHideACommand(String command) throws Exception {
        assertBlocked(applyStrict.pre(command), "forbidden:drop");
    }

    @Test
    void applyPatchIsRefusedInADryRunAndOutsideTheAllowListInAnApply() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode p = HookHarness.base("PreToolUse", "apply_patch");
        p.putObject("tool_input").put("command", "*** Begin Patch\n*** Add File: x.txt\n+hello\n*** End Patch\n");
        p.put("tool_use_id", "call_2");

        assertBlocked(dryOpen.run("pre", p.toString()), "dry-run-write:apply_patch");
        assertBlocked(applyStrict.run("pre", p.toString()), "allowed-commands");
        assertAllowed(applyOpen.run("pre", p.toString()));
    }
}
