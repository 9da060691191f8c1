package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.schema.MessageSchemas;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way an answer can fail verification, driven end to end through the one-JVM runner: the embedded broker,
 * the real codex binary, codex-sim's faults and a real SQLite target. Faults sit on different items of one batch
 * where the outcome stays deterministic (the failure ratio of a batch smaller than the minimum sample is judged
 * once every item has its verdict).
 */
class VerificationEndToEndTest {
    static Path work;
    static Path home;
    static String previousHome;

    @BeforeAll
    static void setUp() throws IOException {
        work = Files.createDirectories(Path.of("target", "verification-" + System.nanoTime()).toAbsolutePath());
        home = linkedHome(work.resolve("home"), Map.of());
        previousHome = System.getProperty("verops.home");
    }

    @AfterAll
    static void restore() {
        if (previousHome == null) {
            System.clearProperty("verops.home");
        } else {
            System.setProperty("verops.home", previousHome);
        }
    }

    static Path root() {
        return Path.of(System.getProperty("verops.root", "..")).toAbsolutePath().normalize();
    }

    /**
     * A verops home of its own (its own var/ and broker data): the codex install linked from the checkout, and the
     * user-provisioning operation copied, its files replaced by {@code replaced} (file name to content).
     */
    static Path linkedHome(Path dir, Map<String, String> replaced) throws IOException {
        Path op = Files.createDirectories(dir.resolve("operations/user-provisioning"));
        try (Stream<Path> files = Files.list(root().resolve("operations/user-provisioning"))) {
            for (Path f : files.toList()) {
                Files.copy(f, op.resolve(f.getFileName()));
            }
        }
        for (Map.Entry<String, String> e : replaced.entrySet()) {
            Files.writeString(op.resolve(e.getKey()), e.getValue());
        }
        Path tools = dir.resolve(".tools");
        if (!Files.exists(tools, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(tools, root().resolve(".tools"));
        }
        return dir;
    }

    record Run(int exitCode, String out, String err) {
        Path bundle() {
            List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
            return Path.of(lines.get(lines.size() - 1));
        }

        JsonNode report() {
            try {
                JsonNode r = Json.mapper().readTree(bundle().resolve("report.json").toFile());
                assertThat(MessageSchemas.named("batch-report.json").validate(r)).as("report.json is valid").isEmpty();
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<JsonNode> audit() {
            try {
                List<JsonNode> lines = new ArrayList<>();
                for (String l : Files.readAllLines(bundle().resolve("audit.jsonl"))) {
                    lines.add(Json.parse(l));
                }
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static Run verops(Path veropsHome, String... args) {
        System.setProperty("verops.home", veropsHome.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Map<String, JsonNode> byItem(JsonNode report) {
        Map<String, JsonNode> m = new HashMap<>();
        report.path("results").forEach(r -> m.put(r.path("item_id").asText(), r));
        return m;
    }

    static JsonNode check(JsonNode entry, String name) {
        for (JsonNode c : entry.path("verification")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + entry);
    }

    static List<JsonNode> gateEvents(Run run) {
        return run.audit().stream().filter(a -> a.path("event").path("type").asText().equals("verops.gate"))
                .map(a -> a.path("event")).toList();
    }

    static Path csv(String name, String... rows) throws IOException {
        return Files.writeString(work.resolve(name), "email,role,team\n" + String.join("\n", rows) + "\n");
    }

    @Test
    void answersThatFailVerificationFailTheirItemsAndTheFailureRatioHaltsTheDryRunBeforeApproval() throws Exception {
        Path input = csv("faults.csv", "ok1@example.com,viewer,a", "ok2@example.com,editor,b",
                "offschema@example.com,viewer,c", "prose@example.com,viewer,d", "otherid@example.com,admin,e",
                "claims@example.com,viewer,f");
        Path db = work.resolve("faults.db");
        Run run = verops(home, "run", "--operation", "user-provisioning", "--input", input.toString(), "--yes",
                "--reports", work.resolve("reports").toString(), "--target-db", db.toString(),
                "--sim-fault", "off-schema:item=offschema@example.com", "--sim-fault", "non-json:item=prose@example.com",
                "--sim-fault", "wrong-item-id:item=otherid@example.com",
                "--sim-fault", "claim-success:item=claims@example.com",
                "--sim-fault", "failing-command:item=claims@example.com");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.HALTED);
        assertThat(run.out()).contains("HALTED by verops verifier (gate failure_ratio): 4 of 6 items failed (66.7% > 5%)");
        JsonNode report = run.report();
        assertThat(report.path("dry_run").asBoolean()).as("the apply never started").isTrue();
        assertThat(report.path("succeeded").asInt()).isEqualTo(2);
        assertThat(report.path("failed").asInt()).isEqualTo(4);
        JsonNode gate = report.path("halts").get(0).path("gate");
        assertThat(gate.path("name").asText()).isEqualTo("failure_ratio");
        assertThat(gate.path("threshold").asDouble()).isEqualTo(0.05);
        assertThat(gate.path("observed").asDouble()).isCloseTo(4.0 / 6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(gate.path("detail").asText()).isEqualTo("batch halted: 4 of 6 items failed (66.7% > 5%)");
        assertThat(Sqlite.query(db, "SELECT count(*) FROM users")).containsExactly("0");

        Map<String, JsonNode> items = byItem(report);
        JsonNode offSchema = items.get("offschema@example.com");
        assertThat(offSchema.path("status").asText()).isEqualTo("failure");
        assertThat(check(offSchema, "schema").path("outcome").asText()).isEqualTo("fail");
        List<String> pointers = new ArrayList<>();
        check(offSchema, "schema").path("observations").forEach(o -> pointers.add(o.path("name").asText()));
        assertThat(pointers).contains("/status", "/");
        assertThat(check(offSchema, "schema").path("detail").asText()).contains("/status: ");

        JsonNode prose = items.get("prose@example.com");
        assertThat(prose.path("message").asText()).startsWith("final message is not JSON: 'All done!");
        assertThat(check(prose, "schema").path("detail").asText()).isEqualTo("final message is not JSON");

        JsonNode otherId = items.get("otherid@example.com");
        assertThat(otherId.path("message").asText()).isEqualTo("the answer is about another item: item_id is "
                + "\"other-otherid@example.com\", not 'otherid@example.com'");

        JsonNode claims = items.get("claims@example.com");
        assertThat(claims.path("status").asText()).isEqualTo("failure");
        assertThat(claims.path("output").path("status").asText()).as("the agent claimed success").isEqualTo("success");
        assertThat(claims.path("message").asText()).startsWith("claims success but the command 'sqlite3 -readonly")
                .endsWith("' exited 1");
        assertThat(check(claims, "claims").path("observations").get(0).path("command").asText())
                .contains("verops_no_such_table");

        JsonNode ok = items.get("ok1@example.com");
        assertThat(ok.path("status").asText()).isEqualTo("success");
        for (String name : List.of("run", "schema", "identity", "claims", "post_conditions", "output")) {
            assertThat(check(ok, name).path("outcome").asText()).as(name).isEqualTo("pass");
        }
        JsonNode notYet = check(ok, "post_conditions").path("observations").get(0);
        assertThat(notYet.path("name").asText()).isEqualTo("user-not-created-yet");
        assertThat(notYet.path("command").asText()).startsWith("sqlite3 -readonly -json ").contains("ok1@example.com");
        assertThat(notYet.path("observed").asText()).isEqualTo("[{\"users\":0}]");

        List<JsonNode> gates = gateEvents(run);
        assertThat(gates).anySatisfy(g -> {
            assertThat(g.path("name").asText()).isEqualTo("failure_ratio");
            assertThat(g.path("outcome").asText()).isEqualTo("halted");
            assertThat(g.path("threshold").asDouble()).isEqualTo(0.05);
        });
    }

    @Test
    void aClaimedChangeTheTargetDoesNotShowFailsItsClaimAndItsPostCondition() throws Exception {
        Path input = csv("apply.csv", "kept@example.com,viewer,ops", "lost@example.com,editor,\"sales, \"\"north\"\"\"");
        // the operation's own target in this test's home: approve takes the target of the batch's operation
        Path db = home.resolve("var/targets/user-provisioning.db");
        String reports = work.resolve("reports-apply").toString();
        Run dry = verops(home, "run", "--operation", "user-provisioning", "--input", input.toString(),
                "--reports", reports);
        assertThat(dry.exitCode()).as(dry.err()).isEqualTo(ExitCodes.AWAITING_APPROVAL);
        Matcher m = Pattern.compile("verops approve (\\S+)").matcher(dry.out());
        assertThat(m.find()).as(dry.out()).isTrue();

        Run apply = verops(home, "approve", m.group(1), "--reports", reports,
                "--sim-fault", "claim-success:item=lost@example.com",
                "--sim-fault", "failing-command:item=lost@example.com");

        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(ExitCodes.HALTED);
        assertThat(apply.out()).contains("1 of 2 items failed (50.0% > 5%)");
        Map<String, JsonNode> items = byItem(apply.report());
        JsonNode lost = items.get("lost@example.com");
        assertThat(lost.path("status").asText()).isEqualTo("failure");
        assertThat(lost.path("message").asText()).startsWith("claims success but the command 'sqlite3 -cmd '.timeout 5000'")
                .endsWith("' exited 1");
        JsonNode post = check(lost, "post_conditions");
        assertThat(post.path("outcome").asText()).isEqualTo("fail");
        JsonNode created = post.path("observations").get(0);
        assertThat(created.path("name").asText()).isEqualTo("user-created");
        assertThat(Json.parse(created.path("expected").asText())).isEqualTo(Json.parse(
                "[{\"role\":\"editor\",\"team\":\"sales, \\\"north\\\"\",\"has_created_at\":1}]"));
        assertThat(created.path("observed").asText()).isEqualTo("[]");

        JsonNode kept = items.get("kept@example.com");
        assertThat(kept.path("status").asText()).isEqualTo("success");
        assertThat(check(kept, "post_conditions").path("observations").get(0).path("observed").asText())
                .isEqualTo("[{\"role\":\"viewer\",\"team\":\"ops\",\"has_created_at\":1}]");
        assertThat(Sqlite.query(db, "SELECT email FROM users")).containsExactly("kept@example.com");
    }

    @Test
    void destructiveOutputAndAnErrorFloodHaltTheBatchAtOnce() throws Exception {
        Path input = csv("outputs.csv", "calm1@example.com,viewer,a", "loud@example.com,viewer,b",
                "calm2@example.com,viewer,c", "calm3@example.com,viewer,d");
        Run run = verops(home, "run", "--operation", "user-provisioning", "--input", input.toString(), "--yes",
                "--reports", work.resolve("reports-outputs").toString(), "--target-db",
                work.resolve("outputs.db").toString(), "--concurrency", "1",
                "--sim-fault", "destructive-output:item=loud@example.com",
                "--sim-fault", "error-flood:item=loud@example.com");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.HALTED);
        JsonNode report = run.report();
        assertThat(report.path("dry_run").asBoolean()).isTrue();
        JsonNode gate = report.path("halts").get(0).path("gate");
        assertThat(gate.path("name").asText()).isEqualTo("destructive_output");
        assertThat(gate.path("detail").asText()).startsWith("batch halted: item loud@example.com: the output of '")
                .contains("('deleted 3 rows') reports something destructive");
        Map<String, JsonNode> items = byItem(report);
        JsonNode loud = items.get("loud@example.com");
        assertThat(loud.path("status").asText()).isEqualTo("failure");
        assertThat(check(loud, "output").path("detail").asText()).contains("'deleted 3 rows'")
                .contains("has 20 lines mentioning error (limit 10)");
        for (String calm : List.of("calm1@example.com", "calm2@example.com", "calm3@example.com")) {
            JsonNode e = items.get(calm);
            assertThat(e.path("status").asText()).as(calm).isIn("success", "skipped");
            if (e.path("status").asText().equals("skipped")) {
                assertThat(e.path("message").asText()).startsWith("batch halted: item loud@example.com: ");
            }
        }
        List<JsonNode> gates = gateEvents(run);
        // all from the evaluation after loud's verdict; when the verifier judges loud after the calm items (a loaded
        // machine), that verdict also closes the phase and the failure ratio (1 of 4) fires in the same evaluation
        List<JsonNode> halted = gates.stream().filter(g -> g.path("outcome").asText().equals("halted")).toList();
        assertThat(halted).extracting(g -> g.path("name").asText()).startsWith("destructive_output", "error_flood")
                .isSubsetOf("destructive_output", "error_flood", "failure_ratio");
        assertThat(halted).allSatisfy(g -> assertThat(g.path("after_item").asText()).isEqualTo("loud@example.com"));
        assertThat(report.path("halts")).as("only the first halt counts").hasSize(1);
        assertThat(gates).filteredOn(g -> g.path("name").asText().equals("error_flood")).singleElement()
                .satisfies(g -> {
                    assertThat(g.path("observed").asInt()).isEqualTo(20);
                    assertThat(g.path("threshold").asInt()).isEqualTo(10);
                });
    }

    /** {@code n} rows of users for one batch, {@code prefix1@example.com} onwards. */
    static Path users(String name, String prefix, int n) throws IOException {
        String[] rows = new String[n];
        for (int i = 1; i <= n; i++) {
            rows[i - 1] = prefix + i + "@example.com,viewer,t" + i;
        }
        return csv(name, rows);
    }

    static JsonNode reportGate(JsonNode report, String name) {
        for (JsonNode g : report.path("gates")) {
            if (g.path("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no gate '" + name + "' in the report's gates: " + report.path("gates"));
    }

    /**
     * The user-provisioning operation of the project with its {@code operation.json} changed by {@code change},
     * in a verops home of its own.
     */
    static Path homeWithOperation(String name, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode def = (ObjectNode) Json.mapper().readTree(
                root().resolve("operations/user-provisioning/operation.json").toFile());
        change.accept(def);
        return linkedHome(work.resolve(name), Map.of("operation.json", Json.pretty(def)));
    }

    @Test
    void oneFailureInTwentyIsExactlyTheThresholdAndTheDryRunReachesApproval() throws Exception {
        Path input = users("at-threshold.csv", "at", 20);
        Path db = work.resolve("at-threshold.db");
        Run run = verops(home, "run", "--operation", "user-provisioning", "--input", input.toString(),
                "--reports", work.resolve("reports-at-threshold").toString(), "--target-db", db.toString(),
                "--sim-fault", "off-schema:item=at7@example.com");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.AWAITING_APPROVAL);
        assertThat(run.out()).contains("verops approve ").doesNotContain("HALTED");
        JsonNode report = run.report();
        assertThat(report.path("dry_run").asBoolean()).isTrue();
        assertThat(report.path("failed").asInt()).isEqualTo(1);
        assertThat(report.path("succeeded").asInt()).isEqualTo(19);
        assertThat(report.has("halts")).as("no halt at exactly 5%").isFalse();
        JsonNode gate = reportGate(report, "failure_ratio");
        assertThat(gate.path("outcome").asText()).isEqualTo("passed");
        assertThat(gate.path("observed").asDouble()).isEqualTo(0.05);
        assertThat(gate.path("threshold").asDouble()).isEqualTo(0.05);
        assertThat(gate.path("detail").asText()).isEqualTo("1 of 20 items failed (5.0% <= 5%)");
        assertThat(byItem(report).get("at7@example.com").path("status").asText()).isEqualTo("failure");
    }

    @Test
    void oneFailureInNineteenIsJustPastTheThresholdAndHaltsTheDryRunBeforeApproval() throws Exception {
        Path input = users("past-threshold.csv", "past", 19);
        Path db = work.resolve("past-threshold.db");
        Run run = verops(home, "run", "--operation", "user-provisioning", "--input", input.toString(), "--yes",
                "--reports", work.resolve("reports-past-threshold").toString(), "--target-db", db.toString(),
                "--sim-fault", "off-schema:item=past7@example.com");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.HALTED);
        assertThat(run.out()).contains("HALTED by verops verifier (gate failure_ratio): 1 of 19 items failed (5.3% > 5%)");
        JsonNode report = run.report();
        assertThat(report.path("dry_run").asBoolean()).as("--yes, yet the apply never started").isTrue();
        assertThat(report.path("failed").asInt()).isEqualTo(1);
        JsonNode halt = report.path("halts").get(0);
        assertThat(halt.path("actor").asText()).isEqualTo("verops verifier (gate failure_ratio)");
        assertThat(halt.path("gate").path("observed").asDouble()).isEqualTo(1.0 / 19);
        assertThat(halt.path("gate").path("threshold").asDouble()).isEqualTo(0.05);
        JsonNode gate = reportGate(report, "failure_ratio");
        assertThat(gate.path("outcome").asText()).isEqualTo("halted");
        assertThat(gate.path("observed").asDouble()).isEqualTo(1.0 / 19);
        assertThat(gate.path("threshold").asDouble()).isEqualTo(0.05);
        assertThat(gate.path("detail").asText()).isEqualTo("1 of 19 items failed (5.3% > 5%)");
        assertThat(halt.path("gate").path("detail").asText()).isEqualTo("batch halted: 1 of 19 items failed (5.3% > 5%)");
        assertThat(run.audit()).filteredOn(a -> a.path("event").path("type").asText().equals("verops.batch.halted"))
                .singleElement().satisfies(a -> {
                    assertThat(a.path("event").path("actor").asText()).isEqualTo("verops verifier (gate failure_ratio)");
                    assertThat(a.path("event").path("gate").path("name").asText()).isEqualTo("failure_ratio");
                    assertThat(a.path("event").path("gate").path("observed").asDouble()).isEqualTo(1.0 / 19);
                    assertThat(a.path("event").path("gate").path("threshold").asDouble()).isEqualTo(0.05);
                });
        assertThat(Sqlite.query(db, "SELECT count(*) FROM users")).containsExactly("0");
    }

    @Test
    void theErrorFloodLimitIsTheOperationsOwn() throws Exception {
        Path strict = homeWithOperation("flood-19-home",
                def -> ((ObjectNode) def.path("policy")).put("error_flood_limit", 19));
        Path input = csv("flood.csv", "quiet@example.com,viewer,a", "flood@example.com,viewer,b");

        Run halted = verops(strict, "run", "--operation", "user-provisioning", "--input", input.toString(), "--yes",
                "--reports", work.resolve("reports-flood-19").toString(), "--target-db",
                work.resolve("flood-19.db").toString(), "--sim-fault", "error-flood:item=flood@example.com");

        assertThat(halted.exitCode()).as(halted.out() + halted.err()).isEqualTo(ExitCodes.HALTED);
        JsonNode report = halted.report();
        assertThat(report.path("dry_run").asBoolean()).isTrue();
        JsonNode gate = report.path("halts").get(0).path("gate");
        assertThat(gate.path("name").asText()).isEqualTo("error_flood");
        assertThat(gate.path("observed").asInt()).isEqualTo(20);
        assertThat(gate.path("threshold").asInt()).isEqualTo(19);
        assertThat(gate.path("detail").asText()).contains("has 20 lines mentioning error (limit 19)");
        assertThat(check(byItem(report).get("flood@example.com"), "output").path("detail").asText())
                .contains("has 20 lines mentioning error (limit 19)");

        Path lenient = homeWithOperation("flood-20-home", def -> {
            ((ObjectNode) def.path("policy")).put("error_flood_limit", 20);
            ((ObjectNode) def.path("gates").path("destructive_output")).put("allowed", true);
        });
        Run passed = verops(lenient, "run", "--operation", "user-provisioning", "--input", input.toString(),
                "--reports", work.resolve("reports-flood-20").toString(), "--target-db",
                work.resolve("flood-20.db").toString(), "--sim-fault", "error-flood:item=flood@example.com",
                "--sim-fault", "destructive-output:item=flood@example.com");

        assertThat(passed.exitCode()).as("20 lines is not past a limit of 20, and destructive output is allowed: "
                + passed.out() + passed.err()).isEqualTo(ExitCodes.AWAITING_APPROVAL);
        JsonNode calm = passed.report();
        assertThat(calm.has("halts")).isFalse();
        JsonNode flood = byItem(calm).get("flood@example.com");
        assertThat(flood.path("status").asText()).isEqualTo("success");
        assertThat(check(flood, "output").path("outcome").asText()).isEqualTo("pass");
        JsonNode closing = reportGate(calm, "error_flood");
        assertThat(closing.path("outcome").asText()).isEqualTo("passed");
        assertThat(closing.path("observed").asInt()).isEqualTo(20);
        assertThat(closing.path("threshold").asInt()).isEqualTo(20);
        assertThat(reportGate(calm, "destructive_output").path("outcome").asText()).isEqualTo("not_evaluated");
    }

    @Test
    void aDryRunClaimingItWouldInsertAUserTheTargetAlreadyHoldsFailsItsNothingChangedPostCondition() throws Exception {
        Path db = work.resolve("already-there.db");
        Process setup = new ProcessBuilder("sqlite3", db.toString(), ".read "
                + root().resolve("operations/user-provisioning/target-setup.sql"),
                "INSERT INTO users VALUES ('there@example.com', 'viewer', 'a', '2026-01-01T00:00:00Z')")
                .redirectErrorStream(true).start();
        assertThat(setup.waitFor()).as(new String(setup.getInputStream().readAllBytes())).isZero();
        Path input = csv("already-there.csv", "there@example.com,viewer,a", "fresh@example.com,viewer,b");

        Run run = verops(home, "run", "--operation", "user-provisioning", "--input", input.toString(),
                "--reports", work.resolve("reports-already-there").toString(), "--target-db", db.toString(),
                "--sim-fault", "claim-success:item=there@example.com");

        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(ExitCodes.HALTED);
        Map<String, JsonNode> items = byItem(run.report());
        JsonNode there = items.get("there@example.com");
        assertThat(there.path("output").path("status").asText()).as("the agent claimed success").isEqualTo("success");
        assertThat(check(there, "claims").path("outcome").asText()).as("its lookup did succeed").isEqualTo("pass");
        assertThat(there.path("status").asText()).isEqualTo("failure");
        assertThat(there.path("message").asText()).isEqualTo("post-condition failed: 'user-not-created-yet': expected "
                + "[{\"users\":0}], observed [{\"users\":1}]");
        JsonNode post = check(there, "post_conditions");
        assertThat(post.path("outcome").asText()).isEqualTo("fail");
        assertThat(post.path("observations").get(0).path("command").asText())
                .startsWith("sqlite3 -readonly -json '" + db + "' ").contains("there@example.com");
        assertThat(check(items.get("fresh@example.com"), "post_conditions").path("outcome").asText()).isEqualTo("pass");
    }

    @Test
    void anOutputSchemaThatBreaksStrictModeIsRefusedWhenTheOperationLoads() throws Exception {
        ObjectNode schema = (ObjectNode) Json.mapper().readTree(
                root().resolve("operations/user-provisioning/output-schema.json").toFile());
        schema.remove("additionalProperties");
        ((ObjectNode) schema.path("properties")).putObject("note").put("type", "string");
        Path broken = linkedHome(work.resolve("broken-home"), Map.of("output-schema.json", Json.pretty(schema)));
        Path input = csv("never.csv", "a@example.com,viewer,a");

        Run run = verops(broken, "run", "--operation", "user-provisioning", "--input", input.toString(), "--yes",
                "--reports", work.resolve("reports-never").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE_OR_REFUSED);
        Path file = broken.resolve("operations/user-provisioning/output-schema.json");
        assertThat(run.err()).contains(file + " at /: an object must declare \"additionalProperties\": false")
                .contains(file + " at /properties/note: property 'note' must be listed in \"required\"");
        assertThat(run.err()).as("the problems are the message, not a stack trace").doesNotContain("\tat ")
                .doesNotContain("Exception");
        assertThat(work.resolve("reports-never")).doesNotExist();
        assertThat(broken.resolve("var/kafka")).as("nothing started").doesNotExist();
    }
}
