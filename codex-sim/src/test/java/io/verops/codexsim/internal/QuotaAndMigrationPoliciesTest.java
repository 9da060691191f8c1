package io.verops.codexsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.codexsim.TestBodies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.verops.codexsim.TestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quota-change and migration-followup policies, each command really run by bash against a real SQLite file
 * made by the operation's own target-setup.sql, its output fed back as codex would.
 */
class QuotaAndMigrationPoliciesTest {
    @TempDir
    Path dir;

    private final SimEngine engine = new SimEngine(PolicyRegistry.defaults(), new FaultBook(List.of()), JSON);

    private record Turns(String cmd, JsonNode answer) {
    }

    private Turns run(ObjectNode item) throws Exception {
        ObjectNode body1 = TestBodies.turn1(TestBodies.prompt(item));
        JsonNode call = SimEngineTest.onlyItem(engine.reply(body1.toString().getBytes(StandardCharsets.UTF_8), 1));
        String cmd = SimEngineTest.cmdOf(call);
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ObjectNode body2 = TestBodies.next(body1, (ObjectNode) call, TestBodies.execOutput(p.exitValue(), out));
        JsonNode msg = SimEngineTest.onlyItem(engine.reply(body2.toString().getBytes(StandardCharsets.UTF_8), 2));
        return new Turns(cmd, JSON.readTree(SimEngineTest.textOf(msg)));
    }

    private Path database(String operation) throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("verops.root", "..")).toAbsolutePath();
        Path db = dir.resolve(operation + ".db");
        Process p = new ProcessBuilder("sqlite3", db.toString())
                .redirectInput(root.resolve("operations").resolve(operation).resolve("target-setup.sql").toFile())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return db;
    }

    private static String sql(Path db, String query) throws Exception {
        Process p = new ProcessBuilder("sqlite3", db.toString(), query).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static ObjectNode quotaItem(String phase, String account, String quota, Path db) {
        return TestBodies.item("quota-change", phase, account,
                Map.of("account", account, "quota", quota, "effective_date", "2026-07-01"), db.toString());
    }

    @Test
    void aQuotaDryRunReadsTheCurrentQuotaAndChangesNothing() throws Exception {
        Path db = database("quota-change");
        Turns t = run(quotaItem("dry_run", "globex", "2000.00 USD", db));
        assertThat(t.cmd()).startsWith("sqlite3 -readonly ");
        assertThat(t.answer().get("status").asText()).isEqualTo("success");
        assertThat(t.answer().get("message").asText())
                .isEqualTo("Dry run: would change the quota of globex from 250.00 USD (since 2026-01-01) to 2000.00 USD from 2026-07-01.");
        assertThat(sql(db, "SELECT quota FROM quotas WHERE account = 'globex'")).isEqualTo("250.00 USD");
    }

    @Test
    void aQuotaApplyUpdatesExactlyThatAccount() throws Exception {
        Path db = database("quota-change");
        Turns t = run(quotaItem("apply", "globex", "2000.00 USD", db));
        assertThat(t.answer().get("status").asText()).isEqualTo("success");
        assertThat(t.answer().get("changes")).hasSize(1);
        assertThat(sql(db, "SELECT quota || '|' || effective_date FROM quotas WHERE account = 'globex'"))
                .isEqualTo("2000.00 USD|2026-07-01");
        assertThat(sql(db, "SELECT count(*) FROM quotas WHERE effective_date = '2026-07-01'")).isEqualTo("1");
    }

    @Test
    void anUnknownAccountIsAFailureInBothPhasesAndNothingIsInserted() throws Exception {
        Path db = database("quota-change");
        assertThat(run(quotaItem("dry_run", "nobody", "1.00 USD", db)).answer().get("message").asText())
                .startsWith("Dry run: no such account nobody");
        Turns apply = run(quotaItem("apply", "nobody", "1.00 USD", db));
        assertThat(apply.answer().get("status").asText()).isEqualTo("failure");
        assertThat(apply.answer().get("message").asText()).startsWith("No such account nobody");
        assertThat(sql(db, "SELECT count(*) FROM quotas")).isEqualTo("10");
    }

    @Test
    void quotaValuesThatLookLikeSqlOrShellStayData() throws Exception {
        Path db = database("quota-change");
        String hostile = "1.00 USD'; DELETE FROM quotas; -- $(touch " + dir.resolve("pwned") + ") `id`";
        Turns t = run(quotaItem("apply", "o'brien", hostile, db));
        assertThat(t.answer().get("status").asText()).isEqualTo("failure"); // no such account, nothing else ran
        assertThat(sql(db, "SELECT count(*) FROM quotas")).isEqualTo("10");
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    private static ObjectNode checkItem(String table, String min, String max, Path db) {
        Map<String, String> fields = max == null ? Map.of("table", table, "min_rows", min)
                : Map.of("table", table, "min_rows", min, "max_rows", max);
        return TestBodies.item("migration-followup", "dry_run", table, fields, db.toString());
    }

    @Test
    void aMigrationCheckPassesWhenTheRowCountIsInRange() throws Exception {
        Path db = database("migration-followup");
        Turns t = run(checkItem("orders", "5", "10", db));
        assertThat(t.cmd()).isEqualTo("sqlite3 -readonly -cmd '.timeout 5000' '" + db + "' 'SELECT count(*) FROM \"orders\";'");
        assertThat(t.answer().get("status").asText()).isEqualTo("success");
        assertThat(t.answer().get("message").asText()).isEqualTo("Table orders holds 5 rows (expected 5 to 10 rows).");
        assertThat(t.answer().get("changes")).isEmpty();
    }

    @Test
    void aMigrationCheckFailsForTooFewOrTooManyRowsOrAMissingTable() throws Exception {
        Path db = database("migration-followup");
        assertThat(run(checkItem("invoices", "1", null, db)).answer().get("message").asText())
                .isEqualTo("Table invoices holds 0 rows, fewer than the expected minimum of 1.");
        assertThat(run(checkItem("customers", "1", "2", db)).answer().get("message").asText())
                .isEqualTo("Table customers holds 3 rows, more than the expected maximum of 2.");
        JsonNode missing = run(checkItem("legacy_orders", "1", null, db)).answer();
        assertThat(missing.get("status").asText()).isEqualTo("failure");
        assertThat(missing.get("message").asText()).startsWith("Table legacy_orders does not exist in ");
    }

    @Test
    void aTableNameIsAQuotedSqlIdentifierInsideOneShellWord() throws Exception {
        Path db = database("migration-followup");
        Turns t = run(checkItem("x\"; DROP TABLE customers; --'", "0", null, db));
        assertThat(t.answer().get("status").asText()).isEqualTo("failure");
        assertThat(sql(db, "SELECT count(*) FROM customers")).isEqualTo("3");
    }
}
