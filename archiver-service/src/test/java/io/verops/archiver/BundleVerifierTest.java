package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier on a small bundle, one forgery at a time. "Resealed" forgeries are changed and then signed
 * anew by the same key, as an insider (or a buggy writer) could: they get past the signature and digests and
 * must be caught by the later checks.
 */
class BundleVerifierTest {
    @TempDir
    Path tmp;
    SigningKey key;
    Path bundle;

    @BeforeEach
    void writeBundle() throws Exception {
        key = SigningKey.generate();
        bundle = BundleWriter.write(tmp.resolve("reports"), new SampleBatch("b-1", Phase.APPLY).assembly(),
                Instant.parse("2026-03-01T10:05:00Z"), SampleBatch.context(tmp.resolve("keys")), key);
    }

    private String failure() {
        BundleVerifier.Result r = BundleVerifier.verify(bundle, null);
        assertThat(r.ok()).as("verification should fail").isFalse();
        return r.message();
    }

    private ObjectNode report() throws Exception {
        return (ObjectNode) Json.mapper().readTree(bundle.resolve("report.json").toFile());
    }

    private void writeReport(ObjectNode report) throws Exception {
        Files.writeString(bundle.resolve("report.json"), Json.pretty(report) + "\n");
    }

    @Test
    void anUntouchedBundleVerifiesWithTheSignersKeyGivenExplicitly() throws Exception {
        Path pub = Files.writeString(tmp.resolve("signer.pem"), key.publicKeyPem());

        BundleVerifier.Result r = BundleVerifier.verify(bundle, pub);

        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).contains("from --key " + pub);
        assertThat(r.checks()).hasSize(6);
    }

    @Test
    void aMissingManifestIsNamed() throws Exception {
        Files.delete(bundle.resolve("manifest.json"));
        assertThat(failure()).isEqualTo("manifest.json: missing from the bundle");
    }

    @Test
    void aFileMissingFromTheBundleIsNamed() throws Exception {
        Files.delete(bundle.resolve("needs-input.csv"));
        assertThat(failure()).isEqualTo("needs-input.csv: listed in manifest.json but missing from the bundle");
    }

    @Test
    void anExtraFileInTheBundleIsNamed() throws Exception {
        Files.writeString(bundle.resolve("notes.txt"), "added later");
        assertThat(failure()).isEqualTo("notes.txt: in the bundle but not listed in manifest.json");
    }

    @Test
    void aChangedByteInAFileIsAMismatchOfThatFile() throws Exception {
        Bundles.flipByte(bundle.resolve("results.csv"), 30);
        assertThat(failure()).startsWith("results.csv: SHA-256 mismatch (manifest.json says ")
                .containsPattern("says [0-9a-f]{12}\\.\\.\\., the file has [0-9a-f]{12}\\.\\.\\.\\)$");
    }

    @Test
    void aSignatureByAnotherKeyFailsAgainstTheGivenKeyAndSaysWhichKeyWasUsed() throws Exception {
        Path signer = Files.writeString(tmp.resolve("signer.pem"), key.publicKeyPem());
        SigningKey other = SigningKey.generate();
        Bundles.reseal(bundle, other);

        assertThat(BundleVerifier.verify(bundle, null).ok()).as("intact with its own bundled key").isTrue();
        BundleVerifier.Result r = BundleVerifier.verify(bundle, signer);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("manifest.json: signature does not verify with the key from --key " + signer
                + " (key " + key.keyId().substring(0, 12) + "...; the envelope's signature names key "
                + other.keyId().substring(0, 12) + "...)");
    }

    @Test
    void aResealedDroppedAuditLineBreaksTheChainAtTheNextLine() throws Exception {
        List<String> lines = Bundles.lines(bundle.resolve("audit.jsonl"));
        String expected = AuditChain.hashOf(lines.get(4));
        String found = AuditChain.hashOf(lines.get(5));
        lines.remove(5);
        Bundles.writeLines(bundle.resolve("audit.jsonl"), lines);
        Bundles.reseal(bundle, key);

        assertThat(failure()).isEqualTo("audit.jsonl line 6: chain broken (expected prev " + expected.substring(0, 12)
                + "..., found " + found.substring(0, 12) + "...)");
    }

    @Test
    void aResealedTruncatedAuditIsCaughtAtItsEnd() throws Exception {
        List<String> lines = Bundles.lines(bundle.resolve("audit.jsonl"));
        int n = lines.size();
        lines.remove(n - 1);
        Bundles.writeLines(bundle.resolve("audit.jsonl"), lines);
        Bundles.reseal(bundle, key);

        assertThat(failure()).isEqualTo("audit.jsonl line " + (n - 1) + ": the chain must end with verops.batch.archived, "
                + "found 'verops.item.verdict' (lines missing at the end?)");
    }

    @Test
    void aResealedAuditWithoutItsLastLineEndIsCutShort() throws Exception {
        String text = Files.readString(bundle.resolve("audit.jsonl"));
        Files.writeString(bundle.resolve("audit.jsonl"), text.substring(0, text.length() - 1));
        Bundles.reseal(bundle, key);

        assertThat(failure()).endsWith(": no line end (the file is cut short)");
    }

    @Test
    void aResealedCountThatDisagreesWithTheResultsIsNamed() throws Exception {
        ObjectNode r = report();
        r.put("succeeded", 3);
        writeReport(r);
        Bundles.reseal(bundle, key);

        assertThat(failure()).isEqualTo("report.json: succeeded is 3, but 2 results have status success");
    }

    @Test
    void aResealedStatusChangeWithMatchingCountsIsCaughtByResultsCsv() throws Exception {
        ObjectNode r = report();
        ((ObjectNode) r.path("results").get(1)).put("status", "success");
        r.put("succeeded", 3);
        r.put("failed", 0);
        writeReport(r);
        Bundles.reseal(bundle, key);

        assertThat(failure()).startsWith("results.csv line 3: does not agree with report.json (found '")
                .contains(",failure,");
    }

    @Test
    void aResealedStatusChangeEverywhereButTheAuditIsCaughtByTheAudit() throws Exception {
        ObjectNode r = report();
        ((ObjectNode) r.path("results").get(1)).put("status", "success");
        r.put("succeeded", 3);
        r.put("failed", 0);
        writeReport(r);
        Files.writeString(bundle.resolve("results.csv"),
                ResultsCsv.render(Json.convert(r, BatchReport.class)));
        Bundles.reseal(bundle, key);

        String f = failure();
        assertThat(f).startsWith("report.json results[1] (<b>bo</b>@example.com): status success, but audit.jsonl line ")
                .endsWith(" records failure");
    }

    @Test
    void aResealedReportThatBreaksTheSchemaIsNamed() throws Exception {
        ObjectNode r = report();
        ((ObjectNode) r.path("results").get(0)).put("status", "done");
        writeReport(r);
        Bundles.reseal(bundle, key);

        assertThat(failure()).startsWith("report.json: does not match schemas/batch-report.json: /results/0/status");
    }

    @Test
    void aResealedAuditEventOfAnUnknownItemIsNamed() throws Exception {
        List<String> lines = Bundles.lines(bundle.resolve("audit.jsonl"));
        // rewrite the chain with an extra codex event of an item the report does not know
        List<String> rebuilt = new java.util.ArrayList<>();
        String prev = AuditChain.GENESIS;
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode n = (ObjectNode) Json.mapper().readTree(lines.get(i));
            if (i == 2) {
                n = n.deepCopy();
                n.put("item_id", "mallory@example.com");
            }
            n.put("seq", i);
            n.put("prev_sha256", prev);
            String line = Json.write(n);
            rebuilt.add(line);
            prev = AuditChain.hashOf(line);
        }
        Bundles.writeLines(bundle.resolve("audit.jsonl"), rebuilt);
        ObjectNode predicateFix = (ObjectNode) Bundles.predicate(bundle).deepCopy();
        predicateFix.with("audit").put("last_line_sha256", prev);
        resealWithPredicate(predicateFix);

        assertThat(failure()).isEqualTo("audit.jsonl line 3: item 'mallory@example.com' is not in report.json");
    }

    @Test
    void aResealedProvenanceThatDisagreesWithTheExecutorsRecordIsNamed() throws Exception {
        bundle = BundleWriter.write(tmp.resolve("reports-runs"), new SampleBatch("b-runs", Phase.APPLY)
                        .attemptStarted("ann@example.com", "codex-cli 0.169.0", "codex-sim", "ef".repeat(32)).assembly(),
                Instant.parse("2026-03-01T10:05:00Z"), SampleBatch.context(tmp.resolve("keys")), key);
        ObjectNode predicate = (ObjectNode) Bundles.predicate(bundle).deepCopy();
        predicate.with("operation").put("hook_policy_sha256", "00".repeat(32));
        resealWithPredicate(predicate);

        assertThat(failure()).isEqualTo("manifest.json provenance: hook policy SHA-256 000000000000..., but audit.jsonl "
                + "records efefefefefef...");

        predicate.with("operation").put("hook_policy_sha256", "ef".repeat(32));
        predicate.put("codex_version", "codex-cli 9.9.9");
        resealWithPredicate(predicate);

        assertThat(failure()).isEqualTo("manifest.json provenance: codex version 'codex-cli 9.9.9', but audit.jsonl "
                + "records 'codex-cli 0.169.0'");
    }

    @Test
    void aResealedExecutedItemWithoutItsEventsIsNamed() throws Exception {
        ObjectNode r = report();
        ObjectNode needsInput = (ObjectNode) r.path("results").get(2);
        needsInput.put("attempts", 1);
        writeReport(r);
        Files.writeString(bundle.resolve("results.csv"), ResultsCsv.render(Json.convert(r, BatchReport.class)));
        Bundles.reseal(bundle, key);

        assertThat(failure()).isEqualTo("report.json results[2] (dee@example.com): executed (1 attempt), but audit.jsonl "
                + "holds no codex event for it");
    }

    @Test
    void aTamperedDryRunBundleNoLongerMatchesItsLink() throws Exception {
        Path dry = BundleWriter.write(tmp.resolve("reports2"), new SampleBatch("b-2", Phase.DRY_RUN).assembly(),
                Instant.parse("2026-03-01T10:02:00Z"), SampleBatch.context(tmp), key);
        bundle = BundleWriter.write(tmp.resolve("reports2"), new SampleBatch("b-2", Phase.APPLY).assembly(),
                Instant.parse("2026-03-01T10:05:00Z"), SampleBatch.context(tmp), key);
        Files.writeString(dry.resolve("report.html"), "<p>another page</p>");
        Bundles.reseal(dry, key); // a valid bundle again, but not the one the apply bundle linked

        assertThat(failure()).startsWith("report.json dry_run_bundle: ../b-2.dry-run/manifest.json has SHA-256 ");
    }

    @Test
    void aSignatureReplacedByGarbageIsNamed() throws Exception {
        ObjectNode env = (ObjectNode) Json.mapper().readTree(bundle.resolve("manifest.json").toFile());
        ((ObjectNode) ((ArrayNode) env.path("signatures")).get(0)).put("sig",
                java.util.Base64.getEncoder().encodeToString(new byte[64]));
        Files.writeString(bundle.resolve("manifest.json"), Json.pretty(env));

        assertThat(failure()).startsWith("manifest.json: signature does not verify with the key from the bundled public-key.pem");
    }

    @Test
    void aBundleThatIsNotAFolderIsAUsageError() {
        assertThatThrownBy(() -> BundleVerifier.verify(tmp.resolve("nope"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("nope: not a folder (no such path)");
    }

    @Test
    void aKeyFileThatIsNotAPublicKeyIsAUsageError() throws Exception {
        Path notAKey = Files.writeString(tmp.resolve("k.pem"), key.privateKeyPem());
        assertThatThrownBy(() -> BundleVerifier.verify(bundle, notAKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--key " + notAKey + ": expected a PEM block '-----BEGIN PUBLIC KEY-----', found -----BEGIN PRIVATE KEY-----");
    }

    private void resealWithPredicate(ObjectNode predicate) throws Exception {
        java.util.Map<String, String> subjects = new java.util.LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode s : Bundles.statement(bundle).path("subject")) {
            subjects.put(s.path("name").asText(), io.verops.core.internal.Digests.sha256Hex(bundle.resolve(s.path("name").asText())));
        }
        Files.writeString(bundle.resolve("manifest.json"), Json.pretty(Manifest.envelope(Manifest.statement(subjects, predicate), key)));
    }
}
