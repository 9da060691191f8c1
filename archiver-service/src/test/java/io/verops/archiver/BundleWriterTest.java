package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.archiver.internal.Csv;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.schema.MessageSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:05:00Z");

    @TempDir
    Path tmp;

    private Path write(SampleBatch batch) throws Exception {
        return BundleWriter.write(tmp.resolve("reports"), batch.assembly(), NOW, SampleBatch.context(tmp.resolve("keys")),
                SigningKey.loadOrCreate(new KeySettings(tmp.resolve("keys"), null)));
    }

    @Test
    void aBundleHoldsEveryFileAndVerifies() throws Exception {
        Path bundle = write(new SampleBatch("b-1", Phase.APPLY));

        assertThat(bundle).isEqualTo(tmp.resolve("reports/demo-users/b-1"));
        try (Stream<Path> files = Files.list(bundle)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("report.json", "results.csv",
                    "needs-input.csv", "audit.jsonl", "report.html", "public-key.pem", "manifest.json");
        }
        BundleVerifier.Result result = BundleVerifier.verify(bundle, null);
        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.message()).startsWith("OK b-1: signature valid (Ed25519, key ")
                .contains("from the bundled public-key.pem").contains("7 files match manifest.json")
                .contains("5 items (2 success, 1 failure, 1 needs_input, 1 skipped)");
    }

    @Test
    void theReportValidatesAndCarriesTheApprovalOfTheApply() throws Exception {
        Path bundle = write(new SampleBatch("b-2", Phase.APPLY));
        JsonNode report = Json.mapper().readTree(bundle.resolve("report.json").toFile());

        assertThat(MessageSchemas.named("batch-report.json").validate(report)).isEmpty();
        assertThat(report.path("approval").path("actor").asText()).isEqualTo("ops-lead");
        assertThat(report.path("approval").path("decision").asText()).isEqualTo("approved");
        assertThat(Bundles.predicate(bundle).path("approver").asText()).isEqualTo("ops-lead");
    }

    @Test
    void theReportShowsWhatNormalisationChangedInEachRowAndOnlyThere() throws Exception {
        Path bundle = write(new SampleBatch("b-norm", Phase.APPLY));
        JsonNode results = Json.mapper().readTree(bundle.resolve("report.json").toFile()).path("results");

        JsonNode ann = results.get(0);
        assertThat(ann.path("item_id").asText()).isEqualTo("ann@example.com");
        assertThat(ann.path("normalization")).hasSize(1);
        assertThat(ann.path("normalization").get(0).path("field").asText()).isEqualTo("email");
        assertThat(ann.path("normalization").get(0).path("original").asText()).isEqualTo(" Ann@Example.COM");
        assertThat(ann.path("normalization").get(0).path("normalized").asText()).isEqualTo("ann@example.com");
        JsonNode dee = results.get(2);
        assertThat(dee.path("status").asText()).isEqualTo("needs_input");
        assertThat(dee.path("normalization").get(0).path("original").asText()).isEqualTo("sales, \"north\" ");
        assertThat(results.get(1).has("normalization")).as("a row nothing was changed in").isFalse();

        String html = Files.readString(bundle.resolve("report.html"));
        assertThat(html).contains("<code> Ann@Example.COM</code> &rarr; <code>ann@example.com</code>");
    }

    @Test
    void needsInputCsvHasTheOperationsFieldsAsHeaderAndLeavesTheCellsToFillEmpty() throws Exception {
        Path bundle = write(new SampleBatch("b-3", Phase.APPLY));

        String text = Files.readString(bundle.resolve("needs-input.csv"), StandardCharsets.UTF_8);
        assertThat(Csv.parse(text)).containsExactly(List.of("email", "role", "team"),
                List.of("dee@example.com", "", "sales, \"north\""));
        assertThat(text).isEqualTo("email,role,team\r\ndee@example.com,,\"sales, \"\"north\"\"\"\r\n");
    }

    @Test
    void theManifestRecordsTheProvenanceOfTheRun() throws Exception {
        Path bundle = write(new SampleBatch("b-4", Phase.APPLY));
        JsonNode st = Bundles.statement(bundle);
        JsonNode p = st.path("predicate");

        assertThat(st.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(st.path("predicateType").asText()).isEqualTo(Manifest.PREDICATE_TYPE);
        assertThat(st.path("subject").findValuesAsText("name")).containsExactly("report.json", "results.csv",
                "needs-input.csv", "audit.jsonl", "report.html", "public-key.pem");
        assertThat(p.path("verops_version").asText()).isEqualTo("1.2.3");
        assertThat(p.path("codex_version").asText()).isEqualTo("codex-cli 0.169.0");
        assertThat(p.path("model").path("name").asText()).isEqualTo("gpt-5.5");
        assertThat(p.path("model").path("reasoning_effort").asText()).isEqualTo("low");
        assertThat(p.path("model").path("provider").asText()).isEqualTo("codex-sim");
        assertThat(p.path("operation").path("definition_sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(p.path("operation").path("output_schema_sha256").asText()).isEqualTo("cd".repeat(32));
        assertThat(p.path("input").path("sha256").asText()).isEqualTo(SampleBatch.INPUT_SHA);
        assertThat(p.path("started_at").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(p.path("finished_at").asText()).isEqualTo("2026-03-01T10:00:05.500Z");
        assertThat(p.path("audit").path("lines").asInt()).isEqualTo(Bundles.lines(bundle.resolve("audit.jsonl")).size());
        assertThat(p.path("operation").has("hook_policy_sha256")).as("no executor recorded one").isFalse();
    }

    @Test
    void theProvenanceNamesTheCodexProviderAndHookPolicyThatTheExecutorRecordedForItsRuns() throws Exception {
        SampleBatch batch = new SampleBatch("b-13", Phase.APPLY);
        for (String id : List.of("ann@example.com", "<b>bo</b>@example.com", "cy@example.com")) {
            batch.attemptStarted(id, "codex-cli 0.170.0", "openai-api", "ef".repeat(32));
        }
        Path bundle = write(batch);

        JsonNode p = Bundles.predicate(bundle);
        assertThat(p.path("codex_version").asText()).as("the executor's, not the context's").isEqualTo("codex-cli 0.170.0");
        assertThat(p.path("model").path("provider").asText()).isEqualTo("openai-api");
        assertThat(p.path("operation").path("hook_policy_sha256").asText()).isEqualTo("ef".repeat(32));
        List<String> ann = Bundles.lines(bundle.resolve("audit.jsonl")).stream().map(Json::parse)
                .filter(n -> n.path("item_id").asText().equals("ann@example.com"))
                .map(n -> n.path("event").path("type").asText()).toList();
        assertThat(ann).startsWith("verops.attempt.started", "thread.started");
        assertThat(Files.readString(bundle.resolve("report.html"))).contains("hook policy SHA-256").contains("ef".repeat(32));
        BundleVerifier.Result r = BundleVerifier.verify(bundle, null);
        assertThat(r.ok()).as(r.message()).isTrue();
    }

    @Test
    void runsThatDifferAreEachNamedInTheProvenance() throws Exception {
        SampleBatch batch = new SampleBatch("b-14", Phase.APPLY)
                .attemptStarted("ann@example.com", "codex-cli 0.170.0", "codex-sim", "ef".repeat(32))
                .attemptStarted("cy@example.com", "codex-cli 0.169.0", "codex-sim", "01".repeat(32));
        Path bundle = write(batch);

        JsonNode p = Bundles.predicate(bundle);
        assertThat(p.path("codex_version").asText()).isEqualTo("codex-cli 0.169.0, codex-cli 0.170.0");
        assertThat(p.path("operation").path("hook_policy_sha256").asText())
                .isEqualTo("01".repeat(32) + ", " + "ef".repeat(32));
        assertThat(BundleVerifier.verify(bundle, null).ok()).isTrue();
    }

    @Test
    void theApplyBundleLinksTheDryRunBundleBesideIt() throws Exception {
        Path dry = write(new SampleBatch("b-5", Phase.DRY_RUN));
        Path apply = write(new SampleBatch("b-5", Phase.APPLY));

        assertThat(dry.getFileName().toString()).isEqualTo("b-5.dry-run");
        JsonNode link = Json.mapper().readTree(apply.resolve("report.json").toFile()).path("dry_run_bundle");
        assertThat(link.path("path").asText()).isEqualTo("../b-5.dry-run");
        assertThat(link.path("manifest_sha256").asText())
                .isEqualTo(io.verops.core.internal.Digests.sha256Hex(dry.resolve("manifest.json")));
        assertThat(Bundles.predicate(apply).path("dry_run_bundle")).isEqualTo(link);
        assertThat(Json.mapper().readTree(dry.resolve("report.json").toFile()).has("dry_run_bundle")).isFalse();
        assertThat(Files.readString(apply.resolve("report.html"))).contains("href=\"../b-5.dry-run/report.html\"");
        BundleVerifier.Result r = BundleVerifier.verify(apply, null);
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).endsWith("; dry-run bundle ../b-5.dry-run matches its link");
    }

    @Test
    void anApplyWithoutADryRunBundleHasNoLink() throws Exception {
        Path apply = write(new SampleBatch("b-6", Phase.APPLY));

        assertThat(Json.mapper().readTree(apply.resolve("report.json").toFile()).has("dry_run_bundle")).isFalse();
    }

    @Test
    void aBatchWithoutRowsNeedingInputHasNoNeedsInputFile() throws Exception {
        SampleBatch batch = new SampleBatch("b-7", Phase.DRY_RUN);
        BatchAssembly b = new BatchAssembly("b-7");
        var acc = batch.accepted;
        b.accept(new io.verops.core.messages.BatchEvent(acc.type(), acc.batchId(), acc.operation(), acc.phase(), acc.at(),
                acc.input(), 3, acc.items(), List.of(), null, null, null));
        batch.verdicts.forEach(b::verdict);
        batch.audit.forEach(b::audit);
        Path bundle = BundleWriter.write(tmp.resolve("reports"), b, NOW, SampleBatch.context(tmp.resolve("keys")),
                SigningKey.generate());

        assertThat(bundle.resolve("needs-input.csv")).doesNotExist();
        assertThat(BundleVerifier.verify(bundle, null).ok()).isTrue();
    }

    @Test
    void anExistingBundleIsNeverRewritten() throws Exception {
        Path first = write(new SampleBatch("b-8", Phase.APPLY));
        byte[] manifest = Files.readAllBytes(first.resolve("manifest.json"));

        Path again = BundleWriter.write(tmp.resolve("reports"), new SampleBatch("b-8", Phase.APPLY).assembly(),
                NOW.plusSeconds(60), SampleBatch.context(tmp.resolve("keys")), SigningKey.generate());

        assertThat(again).isEqualTo(first);
        assertThat(Files.readAllBytes(first.resolve("manifest.json"))).isEqualTo(manifest);
    }

    @Test
    void aWriteThatFailsHalfwayLeavesNoBundleAndNoTemporaryFolder() throws Exception {
        Path reports = tmp.resolve("reports");
        BundleWriter.Observer failAtAudit = (file, dir) -> {
            if (file.equals("audit.jsonl")) {
                throw new java.io.IOException("disk full (simulated)");
            }
        };

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BundleWriter.write(reports,
                        new SampleBatch("b-9", Phase.APPLY).assembly(), NOW, SampleBatch.context(tmp), SigningKey.generate(),
                        failAtAudit))
                .hasMessageContaining("disk full");

        try (Stream<Path> left = Files.list(reports.resolve("demo-users"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void whatACrashedWriteLeftBehindIsRemovedByTheNextWrite() throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("reports/demo-users"));
        Path leftover = Files.createDirectories(parent.resolve(".b-10" + BundleWriter.TMP_MARK + "dead"));
        Files.writeString(leftover.resolve("report.json"), "{\"half\":");
        Path other = Files.createDirectories(parent.resolve(".b-100" + BundleWriter.TMP_MARK + "other-batch"));

        Path bundle = write(new SampleBatch("b-10", Phase.APPLY));

        assertThat(leftover).doesNotExist();
        assertThat(other).exists();
        assertThat(BundleVerifier.verify(bundle, null).ok()).isTrue();
    }

    @Test
    void theKeyFolderIsOwnerOnlyAndTheKeyIsReused() throws Exception {
        Path keys = tmp.resolve("keys");
        SigningKey first = SigningKey.loadOrCreate(new KeySettings(keys, null));
        SigningKey again = SigningKey.loadOrCreate(new KeySettings(keys, null));

        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(keys.resolve(KeySettings.PRIVATE_KEY_FILE)))).isEqualTo("rw-------");
        assertThat(Files.readString(keys.resolve(KeySettings.PUBLIC_KEY_FILE))).isEqualTo(first.publicKeyPem());
    }

    @Test
    void anItemsOwnPipelineEventSitsAmongItsCodexEventsAndIsNotCountedAsOne() throws Exception {
        SampleBatch batch = new SampleBatch("b-11", Phase.APPLY);
        batch.audit.add(new io.verops.core.messages.AuditMessage("b-11", SampleBatch.OPERATION, "ann@example.com",
                Phase.APPLY, 1, 2, "verops", Json.mapper().createObjectNode().put("type", "verops.retry"), NOW));
        Path bundle = write(batch);

        List<String> types = Bundles.lines(bundle.resolve("audit.jsonl")).stream().map(Json::parse)
                .filter(n -> n.path("item_id").asText().equals("ann@example.com"))
                .map(n -> n.path("event").path("type").asText()).toList();
        assertThat(types).containsExactly("thread.started", "turn.started", "verops.retry", "turn.completed",
                "verops.item.verdict");
        assertThat(BundleVerifier.verify(bundle, null).ok()).isTrue();
    }

    @Test
    void theReportCarriesEachGateAsItFiredOrElseAsLastEvaluated() throws Exception {
        SampleBatch batch = new SampleBatch("b-12", Phase.APPLY);
        java.util.function.BiFunction<String, String, io.verops.core.messages.AuditMessage> gate = (name, outcome) ->
                new io.verops.core.messages.AuditMessage("b-12", SampleBatch.OPERATION, null, Phase.APPLY, 0, 0, "verops",
                        Json.mapper().createObjectNode().put("type", "verops.gate").put("name", name).put("outcome", outcome)
                                .put("observed", outcome.equals("passed") ? 0.0 : 0.5).put("threshold", 0.05), NOW);
        batch.audit.add(gate.apply("failure_ratio", "passed"));
        batch.audit.add(gate.apply("error_flood", "passed"));
        batch.audit.add(gate.apply("failure_ratio", "fired"));
        batch.audit.add(gate.apply("failure_ratio", "passed"));
        Path bundle = write(batch);

        JsonNode gates = Json.mapper().readTree(bundle.resolve("report.json").toFile()).path("gates");
        assertThat(gates.findValuesAsText("name")).containsExactly("failure_ratio", "error_flood");
        assertThat(gates.get(0).path("outcome").asText()).isEqualTo("fired");
        assertThat(gates.get(0).path("observed").asDouble()).isEqualTo(0.5);
        assertThat(BundleVerifier.verify(bundle, null).ok()).isTrue();
    }
}
