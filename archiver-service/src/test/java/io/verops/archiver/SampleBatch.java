package io.verops.archiver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.Check;
import io.verops.core.messages.FieldChange;
import io.verops.core.messages.Usage;
import io.verops.core.messages.VerdictMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small batch of the kind the pipeline produces, as plain messages: three executed items (two succeed, one
 * fails), one row that needs input, one duplicate row skipped; each executed item with three codex events.
 * Values carry commas, quotes, markup and shell syntax, as real batches do.
 */
final class SampleBatch {
    static final String OPERATION = "demo-users";
    static final List<String> FIELDS = List.of("email", "role", "team");
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String INPUT_SHA = "5bd96a89a4272122df676ddb20ea72447256d85824418f36217075a9ba7516b6";

    final String batchId;
    final Phase phase;
    final BatchEvent accepted;
    final List<VerdictMessage> verdicts = new ArrayList<>();
    final List<AuditMessage> audit = new ArrayList<>();

    final Instant t0;

    SampleBatch(String batchId, Phase phase) {
        this(batchId, phase, T0);
    }

    /** The sample, started at {@code t0}. */
    SampleBatch(String batchId, Phase phase, Instant t0) {
        this.t0 = t0;
        this.batchId = batchId;
        this.phase = phase;
        List<BatchEvent.PlannedItem> planned = List.of(
                new BatchEvent.PlannedItem("ann@example.com", 1, Map.of("email", "ann@example.com"),
                        List.of(new FieldChange("email", " Ann@Example.COM", "ann@example.com"))),
                new BatchEvent.PlannedItem("<b>bo</b>@example.com", 2, Map.of()),
                new BatchEvent.PlannedItem("cy@example.com", 4, Map.of()));
        Map<String, String> valid = new LinkedHashMap<>();
        valid.put("email", "dee@example.com");
        valid.put("team", "sales, \"north\"");
        List<BatchEvent.RowOutcome> notExecuted = List.of(
                new BatchEvent.RowOutcome(3, "dee@example.com", ItemStatus.NEEDS_INPUT, "needs input: role missing",
                        valid, List.of(new BatchEvent.FieldProblem("role", "missing")),
                        List.of(new FieldChange("team", "sales, \"north\" ", "sales, \"north\""))),
                new BatchEvent.RowOutcome(5, "ann@example.com#row-5", ItemStatus.SKIPPED, "duplicate of row 1 (same email)",
                        Map.of("email", "ann@example.com", "role", "viewer", "team", "x"), List.of()));
        BatchEvent.Approval approval = phase == Phase.APPLY
                ? new BatchEvent.Approval("approved", "ops-lead", "looked fine", t0.minusSeconds(30)) : null;
        accepted = new BatchEvent(BatchEvent.Type.ACCEPTED, batchId, OPERATION, phase, t0,
                new BatchEvent.InputInfo("users.csv", "csv", INPUT_SHA, 5), 5, planned, notExecuted, null, null, approval);
        item("ann@example.com", 1, ItemStatus.SUCCESS, "created ann@example.com");
        item("<b>bo</b>@example.com", 2, ItemStatus.FAILURE, "output does not match the schema: <script>alert(1)</script>");
        item("cy@example.com", 4, ItemStatus.SUCCESS, "created cy; team $(rm -rf ~) `id` kept as text");
    }

    private void item(String id, int row, ItemStatus status, String message) {
        Instant start = t0.plusSeconds(row);
        String[] types = {"thread.started", "turn.started", "turn.completed"};
        for (int seq = 0; seq < types.length; seq++) {
            ObjectNode e = Json.mapper().createObjectNode().put("type", types[seq]);
            audit.add(new AuditMessage(batchId, OPERATION, id, phase, 1, seq, "codex", e, start.plusMillis(seq)));
        }
        List<Check> checks = List.of(Check.pass("run", "codex exited 0"),
                status == ItemStatus.SUCCESS ? Check.pass("output_schema", "valid") : Check.fail("output_schema", message));
        verdicts.add(new VerdictMessage(batchId, OPERATION, id, row, phase, status, message, 1, false,
                new Usage(100 + row, 10, 20, 5), types.length, checks, null, start, start.plusMillis(1500), 1400));
    }

    /** Adds the executor's record of an attempt of {@code itemId}: which codex, provider and hook policy ran it. */
    SampleBatch attemptStarted(String itemId, String codexVersion, String provider, String hookPolicySha256) {
        ObjectNode e = Json.mapper().createObjectNode().put("type", AuditMessage.ATTEMPT_STARTED).put("attempt", 1)
                .put("codex_version", codexVersion).put("model_provider", provider)
                .put("hook_policy_sha256", hookPolicySha256);
        audit.add(new AuditMessage(batchId, OPERATION, itemId, phase, 1, 0, "verops", e, t0));
        return this;
    }

    /** The assembly after every message arrived. */
    BatchAssembly assembly() {
        BatchAssembly b = new BatchAssembly(batchId);
        b.accept(accepted);
        verdicts.forEach(b::verdict);
        audit.forEach(b::audit);
        return b;
    }

    static BundleContext context(Path keyDir) {
        OperationFacts facts = new OperationFacts(OPERATION, FIELDS, "gpt-5.5", "low", "ab".repeat(32), "cd".repeat(32));
        return new BundleContext("1.2.3", "codex-cli 0.169.0", "codex-sim", Map.of(OPERATION, facts),
                new KeySettings(keyDir, null));
    }
}
