package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.archiver.KeySettings;
import io.verops.archiver.Manifest;
import io.verops.archiver.SigningKey;
import io.verops.core.Json;
import io.verops.core.internal.Digests;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code verops verify} on the bundles of a real run (embedded broker, real codex, codex-sim), forged one way at
 * a time. Plain forgeries are caught by the signed digests. "Resealed" ones are signed anew with the archiver's
 * own key, as an insider could: they must be caught by the audit chain, the schema and the cross-checks.
 */
class VerifyCommandTest {
    static VerifyFixture fixture;
    static Path work;
    static Path pristine;
    static Path keys;
    static String batchId;

    Path bundle;

    @BeforeAll
    static void runABatch() throws Exception {
        fixture = VerifyFixture.run("verify");
        work = fixture.work;
        keys = fixture.keys;
        pristine = fixture.bundle;
        batchId = fixture.batchId;
        assertThat(pristine.resolveSibling(batchId + ".dry-run").resolve("manifest.json")).exists();
    }

    @AfterAll
    static void restoreTheHome() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A fresh copy of the apply bundle and its dry-run bundle beside it, for one forgery. */
    @BeforeEach
    void copyTheBundles() throws IOException {
        Path dir = Files.createDirectories(work.resolve("copies").resolve(Long.toString(System.nanoTime())));
        copy(pristine.resolveSibling(batchId + ".dry-run"), dir.resolve(batchId + ".dry-run"));
        bundle = copy(pristine, dir.resolve(batchId));
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome verify(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 1];
        full[0] = "verify";
        System.arraycopy(args, 0, full, 1, args.length);
        int code = Main.execute(full, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** verify must fail with exit 1, and its one line must start with the discrepancy. */
    private String discrepancy(String... extra) {
        List<String> args = new ArrayList<>(List.of(bundle.toString()));
        args.addAll(List.of(extra));
        Outcome o = verify(args.toArray(String[]::new));
        assertThat(o.code()).as(o.out() + o.err()).isEqualTo(ExitCodes.NOT_ALL_SUCCEEDED);
        assertThat(o.out().lines().toList()).hasSize(1);
        String prefix = "FAILED " + batchId + ": ";
        assertThat(o.out()).startsWith(prefix);
        return o.out().strip().substring(prefix.length());
    }

    // ---- untouched ----------------------------------------------------------------------------------------------

    @Test
    void anUntouchedBundleVerifiesWithOneLineAndExitZero() {
        Outcome o = verify(bundle.toString());

        assertThat(o.code()).as(o.out() + o.err()).isEqualTo(ExitCodes.OK);
        assertThat(o.out().lines().toList()).hasSize(1);
        assertThat(o.out()).startsWith("OK " + batchId + ": signature valid (Ed25519, key ")
                .contains("from the bundled public-key.pem")
                .contains("7 files match manifest.json")
                .contains("10 items (8 success, 2 needs_input) agree with results.csv and audit.jsonl")
                .contains("; dry-run bundle ../" + batchId + ".dry-run matches its link");
    }

    @Test
    void theSignersPublicKeyGivenWithKeyIsTheOneUsedAndSaid() {
        Path pub = keys.resolve(KeySettings.PUBLIC_KEY_FILE);
        Outcome o = verify(bundle.toString(), "--key", pub.toString());

        assertThat(o.code()).as(o.out()).isEqualTo(ExitCodes.OK);
        assertThat(o.out()).contains("from --key " + pub + ")");
    }

    @Test
    void theDryRunBundleVerifiesToo() {
        Outcome o = verify(bundle.resolveSibling(batchId + ".dry-run").toString());
        assertThat(o.code()).as(o.out()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void theManifestOfARealRunRecordsItsProvenanceAsASignedInTotoStatement() throws Exception {
        Path root = CliRun.repoRoot();
        JsonNode env = envelope();
        assertThat(env.path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
        JsonNode statement = Json.mapper().readTree(Base64.getDecoder().decode(env.path("payload").asText()));
        assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.path("subject").findValuesAsText("name")).containsExactlyInAnyOrder("report.json",
                "results.csv", "needs-input.csv", "audit.jsonl", "report.html", "public-key.pem");
        for (JsonNode s : statement.path("subject")) {
            assertThat(s.path("digest").path("sha256").asText()).as(s.path("name").asText())
                    .isEqualTo(Digests.sha256Hex(bundle.resolve(s.path("name").asText())));
        }
        JsonNode p = statement.path("predicate");
        assertThat(p.path("batch_id").asText()).isEqualTo(batchId);
        assertThat(p.path("phase").asText()).isEqualTo("apply");
        String implementation = Main.class.getPackage().getImplementationVersion();
        assertThat(p.path("verops_version").asText()).isEqualTo(implementation == null ? "development" : implementation);
        Process version = new ProcessBuilder(root.resolve(".tools/codex/node_modules/.bin/codex").toString(), "--version")
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        String codexVersion = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(version.waitFor()).isZero();
        assertThat(p.path("codex_version").asText()).as("what the codex binary that ran says").isEqualTo(codexVersion)
                .isEqualTo("codex-cli 0.169.0");
        JsonNode def = Json.mapper().readTree(root.resolve("operations/user-provisioning/operation.json").toFile());
        assertThat(p.path("model").path("name").asText()).isEqualTo(def.path("model").path("name").asText());
        assertThat(p.path("model").path("reasoning_effort").asText())
                .isEqualTo(def.path("model").path("reasoning_effort").asText());
        assertThat(p.path("model").path("provider").asText()).isEqualTo("codex-sim");
        assertThat(p.path("operation").path("name").asText()).isEqualTo("user-provisioning");
        assertThat(p.path("operation").path("definition_sha256").asText()).as("operation.json holds the hook policy too")
                .isEqualTo(Digests.sha256Hex(root.resolve("operations/user-provisioning/operation.json")));
        assertThat(p.path("operation").path("output_schema_sha256").asText())
                .isEqualTo(Digests.sha256Hex(root.resolve("operations/user-provisioning/output-schema.json")));
        io.verops.core.operation.Operation op = io.verops.core.operation.OperationCatalog.load(root.resolve("operations"))
                .require("user-provisioning");
        String hookPolicy = io.verops.executor.hooks.Hooks.policySha256(op, io.verops.core.Phase.APPLY);
        assertThat(p.path("operation").path("hook_policy_sha256").asText()).as("the hook script the apply ran under")
                .isEqualTo(hookPolicy);
        assertThat(predicateOf(bundle.resolveSibling(batchId + ".dry-run")).path("operation")
                .path("hook_policy_sha256").asText()).as("the dry run's own policy")
                .isEqualTo(io.verops.executor.hooks.Hooks.policySha256(op, io.verops.core.Phase.DRY_RUN))
                .isNotEqualTo(hookPolicy);
        java.util.Set<String> executed = new java.util.HashSet<>();
        java.util.Set<String> withCodexEvents = new java.util.HashSet<>();
        for (String line : auditLines()) {
            JsonNode a = Json.parse(line);
            if (a.path("event").path("type").asText().equals("verops.attempt.started")) {
                assertThat(withCodexEvents).as("the attempt's record precedes its codex events")
                        .doesNotContain(a.path("item_id").asText());
                assertThat(a.path("event").path("codex_version").asText()).isEqualTo(codexVersion);
                assertThat(a.path("event").path("model_provider").asText()).isEqualTo("codex-sim");
                assertThat(a.path("event").path("hook_policy_sha256").asText()).isEqualTo(hookPolicy);
                executed.add(a.path("item_id").asText());
            } else if (a.path("source").asText().equals("codex")) {
                withCodexEvents.add(a.path("item_id").asText());
            }
        }
        assertThat(executed).hasSize(8).isEqualTo(withCodexEvents);
        assertThat(p.path("input").path("name").asText()).as("as given to --input")
                .isEqualTo(root.resolve("examples/batches/users.csv").toString());
        assertThat(p.path("input").path("sha256").asText())
                .isEqualTo(Digests.sha256Hex(root.resolve("examples/batches/users.csv")));
        assertThat(p.path("input").path("rows").asInt()).isEqualTo(10);
        java.time.Instant started = java.time.Instant.parse(p.path("started_at").asText());
        java.time.Instant finished = java.time.Instant.parse(p.path("finished_at").asText());
        assertThat(started).isBefore(finished);
        assertThat(finished).isBeforeOrEqualTo(java.time.Instant.parse(p.path("written_at").asText()));
        String approver = System.getProperty("user.name") + " (--yes)";
        assertThat(p.path("approver").asText()).isEqualTo(approver);
        assertThat(p.path("approval").path("decision").asText()).isEqualTo("approved");
        assertThat(p.path("approval").path("actor").asText()).isEqualTo(approver);
        assertThat(p.path("dry_run_bundle").path("manifest_sha256").asText()).isEqualTo(
                Digests.sha256Hex(bundle.resolveSibling(batchId + ".dry-run").resolve("manifest.json")));
        assertThat(p.path("audit").path("lines").asLong()).isEqualTo(auditLines().size());
        assertThat(p.path("signing_key_id").asText()).isEqualTo(ownKey().keyId())
                .isEqualTo(env.path("signatures").get(0).path("keyid").asText());
    }

    @Test
    void theSigningKeyIsCreatedOnFirstUseInAnOwnerOnlyFolderAndItsPublicKeyShippedInTheBundle() throws IOException {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
                .isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve(KeySettings.PRIVATE_KEY_FILE)))).isEqualTo("rw-------");
        assertThat(Files.readString(keys.resolve(KeySettings.PRIVATE_KEY_FILE))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(bundle.resolve("public-key.pem")))
                .isEqualTo(Files.readString(keys.resolve(KeySettings.PUBLIC_KEY_FILE)))
                .isEqualTo(Files.readString(bundle.resolveSibling(batchId + ".dry-run").resolve("public-key.pem")));
    }

    // ---- one byte of each file ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"report.json", "results.csv", "needs-input.csv", "audit.jsonl", "report.html"})
    void oneChangedByteInAnyFileIsNamed(String file) throws IOException {
        flipMiddleByte(bundle.resolve(file));

        assertThat(discrepancy()).startsWith(file + ": SHA-256 mismatch (manifest.json says ");
    }

    @Test
    void oneChangedByteInThePublicKeyIsNamed() throws IOException {
        flipMiddleByte(bundle.resolve("public-key.pem"));

        assertThat(discrepancy()).contains("public-key.pem");
    }

    @Test
    void oneChangedByteInTheManifestIsNamed() throws IOException {
        flipMiddleByte(bundle.resolve("manifest.json"));

        assertThat(discrepancy()).startsWith("manifest.json: ");
    }

    @Test
    void aChangedKeyIdInTheManifestIsNamed() throws IOException {
        ObjectNode env = envelope();
        ObjectNode sig = (ObjectNode) env.path("signatures").get(0);
        String keyId = sig.path("keyid").asText();
        // a different first digit (the key is random: its id may already start with 0)
        String changed = (keyId.charAt(0) == '0' ? "1" : "0") + keyId.substring(1);
        sig.put("keyid", changed);
        writeEnvelope(env);

        assertThat(discrepancy()).startsWith("manifest.json: the signature verifies, but its keyid " + changed.charAt(0));
    }

    // ---- audit lines --------------------------------------------------------------------------------------------

    @Test
    void aDroppedAuditLineIsCaughtByTheDigestAndResealedByTheChain() throws IOException {
        List<String> lines = auditLines();
        String expectedPrev = hashOf(lines.get(9));
        String found = hashOf(lines.get(10));
        lines.remove(10);
        writeAudit(lines);
        assertThat(discrepancy()).startsWith("audit.jsonl: SHA-256 mismatch");

        reseal(ownKey());
        assertThat(discrepancy()).isEqualTo("audit.jsonl line 11: chain broken (expected prev " + shortHex(expectedPrev)
                + ", found " + shortHex(found) + ")");
    }

    @Test
    void aDuplicatedAuditLineIsCaughtByTheDigestAndResealedByTheChain() throws IOException {
        List<String> lines = auditLines();
        String expectedPrev = hashOf(lines.get(20));
        String found = hashOf(lines.get(19));
        lines.add(21, lines.get(20));
        writeAudit(lines);
        assertThat(discrepancy()).startsWith("audit.jsonl: SHA-256 mismatch");

        reseal(ownKey());
        assertThat(discrepancy()).isEqualTo("audit.jsonl line 22: chain broken (expected prev " + shortHex(expectedPrev)
                + ", found " + shortHex(found) + ")");
    }

    @Test
    void swappedAuditLinesAreCaughtByTheDigestAndResealedByTheChain() throws IOException {
        List<String> lines = auditLines();
        String expectedPrev = hashOf(lines.get(4));
        String found = hashOf(lines.get(5));
        String sixth = lines.get(5);
        lines.set(5, lines.get(6));
        lines.set(6, sixth);
        writeAudit(lines);
        assertThat(discrepancy()).startsWith("audit.jsonl: SHA-256 mismatch");

        reseal(ownKey());
        assertThat(discrepancy()).isEqualTo("audit.jsonl line 6: chain broken (expected prev " + shortHex(expectedPrev)
                + ", found " + shortHex(found) + ")");
    }

    // ---- the report ---------------------------------------------------------------------------------------------

    @Test
    void anEditedCountIsCaughtByTheDigestAndResealedByTheResults() throws IOException {
        ObjectNode report = report();
        report.put("succeeded", 9);
        writeReport(report);
        assertThat(discrepancy()).startsWith("report.json: SHA-256 mismatch");

        reseal(ownKey());
        assertThat(discrepancy()).isEqualTo("report.json: succeeded is 9, but 8 results have status success");
    }

    @Test
    void aChangedStatusIsCaughtByTheDigestAndResealedByResultsCsvAndTheAudit() throws IOException {
        ObjectNode report = report();
        ObjectNode first = (ObjectNode) report.path("results").get(0);
        first.put("status", "failure");
        report.put("succeeded", 7);
        report.put("failed", 1);
        writeReport(report);
        assertThat(discrepancy()).startsWith("report.json: SHA-256 mismatch");

        reseal(ownKey());
        assertThat(discrepancy()).startsWith("results.csv line 2: does not agree with report.json (found 'alice@example.com,1,success,");

        List<String> csv = new ArrayList<>(List.of(Files.readString(bundle.resolve("results.csv")).split("\r\n")));
        csv.set(1, csv.get(1).replace(",1,success,", ",1,failure,"));
        Files.writeString(bundle.resolve("results.csv"), String.join("\r\n", csv) + "\r\n");
        reseal(ownKey());
        assertThat(discrepancy()).matches("report\\.json results\\[0\\] \\(alice@example\\.com\\): status failure, "
                + "but audit\\.jsonl line \\d+ records success");
    }

    @Test
    void aReportThatNoLongerMatchesItsSchemaIsNamed() throws IOException {
        ObjectNode report = report();
        report.put("total_items", -1);
        writeReport(report);
        reseal(ownKey());

        assertThat(discrepancy()).startsWith("report.json: does not match schemas/batch-report.json: /total_items");
    }

    // ---- signatures ---------------------------------------------------------------------------------------------

    @Test
    void aReplacedSignatureIsNamed() throws IOException {
        ObjectNode env = envelope();
        ((ObjectNode) env.path("signatures").get(0)).put("sig", Base64.getEncoder().encodeToString(new byte[64]));
        writeEnvelope(env);

        assertThat(discrepancy()).startsWith("manifest.json: signature does not verify with the key from the bundled "
                + "public-key.pem (key ");
    }

    @Test
    void aBundleSignedWithAnotherKeyFailsAgainstTheSignersKey() throws IOException {
        SigningKey other = SigningKey.generate();
        reseal(other); // a complete forgery: own files, own key, own public-key.pem
        Path signer = keys.resolve(KeySettings.PUBLIC_KEY_FILE);

        Outcome selfConsistent = verify(bundle.toString());
        assertThat(selfConsistent.code()).as("the bundled key only proves integrity").isEqualTo(ExitCodes.OK);
        assertThat(discrepancy("--key", signer.toString())).isEqualTo("manifest.json: signature does not verify with the "
                + "key from --key " + signer + " (key " + shortHex(ownKey().keyId()) + "; the envelope's signature names key "
                + shortHex(other.keyId()) + ")");
    }

    // ---- usage --------------------------------------------------------------------------------------------------

    @Test
    void aMissingBundleIsAUsageError() {
        Outcome o = verify(work.resolve("no-such-bundle").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE_OR_REFUSED);
        assertThat(o.err()).contains("no-such-bundle: not a folder (no such path)");
    }

    @Test
    void anUnreadableKeyIsAUsageError() {
        Outcome o = verify(bundle.toString(), "--key", work.resolve("nope.pem").toString());
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE_OR_REFUSED);
        assertThat(o.err()).contains("--key ").contains("nope.pem: cannot read");
    }

    @Test
    void noBundleIsAUsageError() {
        Outcome o = verify();
        assertThat(o.code()).isEqualTo(ExitCodes.USAGE_OR_REFUSED);
        assertThat(o.err()).contains("Missing required parameter: 'BUNDLE'");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The provenance predicate of a bundle's signed statement. */
    private static JsonNode predicateOf(Path dir) throws IOException {
        JsonNode env = Json.mapper().readTree(dir.resolve("manifest.json").toFile());
        return Json.mapper().readTree(Base64.getDecoder().decode(env.path("payload").asText())).path("predicate");
    }

    private static SigningKey ownKey() {
        return SigningKey.loadOrCreate(new KeySettings(keys, null));
    }

    private static void flipMiddleByte(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 0x01;
        Files.write(file, b);
    }

    private List<String> auditLines() throws IOException {
        return new ArrayList<>(List.of(Files.readString(bundle.resolve("audit.jsonl"), StandardCharsets.UTF_8).split("\n")));
    }

    private void writeAudit(List<String> lines) throws IOException {
        Files.writeString(bundle.resolve("audit.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private ObjectNode report() throws IOException {
        return (ObjectNode) Json.mapper().readTree(bundle.resolve("report.json").toFile());
    }

    private void writeReport(ObjectNode report) throws IOException {
        Files.writeString(bundle.resolve("report.json"), Json.pretty(report) + "\n");
    }

    private ObjectNode envelope() throws IOException {
        return (ObjectNode) Json.mapper().readTree(bundle.resolve("manifest.json").toFile());
    }

    private void writeEnvelope(ObjectNode env) throws IOException {
        Files.writeString(bundle.resolve("manifest.json"), Json.pretty(env) + "\n");
    }

    /**
     * Signs the bundle anew with {@code key} over the files as they are now (public-key.pem replaced by the key's),
     * keeping the predicate but pointing its audit head at the audit as it is now.
     */
    private void reseal(SigningKey key) throws IOException {
        Files.writeString(bundle.resolve("public-key.pem"), key.publicKeyPem());
        JsonNode env = envelope();
        ObjectNode statement = (ObjectNode) Json.mapper().readTree(Base64.getDecoder().decode(env.path("payload").asText()));
        ObjectNode predicate = (ObjectNode) statement.path("predicate");
        List<String> lines = auditLines();
        ObjectNode audit = (ObjectNode) predicate.path("audit");
        audit.put("lines", lines.size());
        audit.put("last_line_sha256", hashOf(lines.get(lines.size() - 1)));
        Map<String, String> subjects = new LinkedHashMap<>();
        for (JsonNode s : (ArrayNode) statement.path("subject")) {
            subjects.put(s.path("name").asText(), Digests.sha256Hex(bundle.resolve(s.path("name").asText())));
        }
        writeEnvelope(Manifest.envelope(Manifest.statement(subjects, predicate), key));
    }

    private static String hashOf(String line) {
        return Digests.sha256Hex(line.getBytes(StandardCharsets.UTF_8));
    }

    private static String shortHex(String hex) {
        return hex.substring(0, 12) + "...";
    }
}
