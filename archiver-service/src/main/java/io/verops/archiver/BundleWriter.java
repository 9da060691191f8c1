package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.internal.Digests;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.schema.MessageSchemas;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes the evidence bundle of a complete batch into {@code <reports>/<operation>/<batch-id>/} (the dry run into
 * {@code <batch-id>.dry-run/}): report.json (checked against {@code schemas/batch-report.json} first),
 * results.csv, needs-input.csv (when rows need input), audit.jsonl (hash-chained, see {@link AuditChain}),
 * report.html, public-key.pem and the signed manifest.json. The bundle is written in a temporary folder, flushed
 * to disk and renamed into place, so a crash leaves no half bundle; a later write of the same batch first
 * removes what a crashed one left.
 */
public final class BundleWriter {
    static final String TMP_MARK = ".tmp-";

    private BundleWriter() {
    }

    /** Watches a write, file by file (tests stop the process there to show that a crash leaves no half bundle). */
    @FunctionalInterface
    interface Observer {
        Observer NONE = (file, tmpDir) -> { };

        void beforeWriting(String file, Path tmpDir) throws IOException;
    }

    /** The bundle folder of a batch and phase (the dry run gets its own, beside the apply's). */
    public static Path bundleDir(Path reports, String operation, String batchId, Phase phase) {
        return reports.resolve(operation).resolve(phase == Phase.DRY_RUN ? batchId + ".dry-run" : batchId);
    }

    /** Writes the bundle unless it exists; returns its folder. */
    public static Path write(Path reports, BatchAssembly batch, Instant now, BundleContext context, SigningKey key)
            throws IOException {
        return write(reports, batch, now, context, key, Observer.NONE);
    }

    static Path write(Path reports, BatchAssembly batch, Instant now, BundleContext context, SigningKey key,
                      Observer observer) throws IOException {
        BatchEvent acc = batch.accepted();
        Path target = bundleDir(reports, acc.operation(), acc.batchId(), acc.phase());
        if (Files.exists(target)) {
            return target;
        }
        BatchReport report = batch.report(now);
        BatchReport.BundleLink dryRun = acc.phase() == Phase.APPLY ? dryRunLink(reports, acc) : null;
        if (dryRun != null) {
            report = report.withDryRunBundle(dryRun);
        }
        JsonNode reportJson = Json.tree(report);
        List<String> errors = MessageSchemas.named("batch-report.json").validate(reportJson);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("report of batch " + batch.batchId() + " does not match "
                    + "schemas/batch-report.json: " + String.join("; ", errors));
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        removeLeftovers(parent, target.getFileName().toString());
        Path tmp = parent.resolve("." + target.getFileName() + TMP_MARK + UUID.randomUUID());
        Files.createDirectories(tmp);
        boolean moved = false;
        try {
            Map<String, String> files = new LinkedHashMap<>();
            write(tmp, "report.json", Json.pretty(reportJson) + "\n", files, observer);
            write(tmp, "results.csv", ResultsCsv.render(report), files, observer);
            List<String> fieldOrder = context.operation(acc.operation()).map(OperationFacts::fields).orElse(List.of());
            String needsInput = NeedsInputCsv.render(fieldOrder, report.results());
            if (needsInput != null) {
                write(tmp, NeedsInputCsv.FILE, needsInput, files, observer);
            }
            observer.beforeWriting("audit.jsonl", tmp);
            AuditHead head = writeAudit(tmp.resolve("audit.jsonl"), batch, report, now);
            files.put("audit.jsonl", Digests.sha256Hex(tmp.resolve("audit.jsonl")));
            ObjectNode predicate = provenance(context, batch, report, acc, head, key);
            write(tmp, ReportPage.FILE, ReportPage.render(reportJson, predicate), files, observer);
            write(tmp, Manifest.PUBLIC_KEY_FILE, key.publicKeyPem(), files, observer);
            JsonNode envelope = Manifest.envelope(Manifest.statement(files, predicate), key);
            observer.beforeWriting(Manifest.FILE, tmp);
            Files.writeString(tmp.resolve(Manifest.FILE), Json.pretty(envelope) + "\n", StandardCharsets.UTF_8);
            flush(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            moved = true;
            forceDirectory(parent);
        } finally {
            if (!moved) {
                deleteRecursively(tmp);
            }
        }
        return target;
    }

    /**
     * The provenance predicate of the manifest. The codex version, model provider and hook policy are those the
     * executor recorded for the phase's runs ({@code verops.attempt.started}), several joined by ", " when its runs
     * differed; without such records, the context's.
     */
    static ObjectNode provenance(BundleContext ctx, BatchAssembly batch, BatchReport report, BatchEvent acc,
                                 AuditHead head, SigningKey key) {
        ObjectNode p = Json.mapper().createObjectNode();
        p.put("batch_id", report.batchId());
        p.put("phase", acc.phase().wire());
        ObjectNode op = p.putObject("operation");
        op.put("name", report.operation());
        OperationFacts facts = ctx.operation(report.operation()).orElse(null);
        if (facts != null) {
            putIfSet(op, "definition_sha256", facts.definitionSha256());
            putIfSet(op, "output_schema_sha256", facts.outputSchemaSha256());
        }
        putIfSet(op, "hook_policy_sha256", String.join(", ", batch.attemptValues("hook_policy_sha256")));
        p.put("verops_version", ctx.veropsVersion());
        List<String> codex = batch.attemptValues("codex_version");
        p.put("codex_version", codex.isEmpty() ? ctx.codexVersion() : String.join(", ", codex));
        ObjectNode model = p.putObject("model");
        model.put("name", facts == null || facts.model() == null ? BundleContext.UNKNOWN : facts.model());
        model.put("reasoning_effort", facts == null || facts.reasoningEffort() == null ? BundleContext.UNKNOWN
                : facts.reasoningEffort());
        List<String> providers = batch.attemptValues("model_provider");
        putIfSet(model, "provider", providers.isEmpty() ? ctx.modelProvider() : String.join(", ", providers));
        p.set("input", Json.tree(report.input()));
        p.put("started_at", report.startedAt().toString());
        p.put("finished_at", report.finishedAt().toString());
        p.put("written_at", report.timestamp().toString());
        if (report.approval() != null) {
            p.set("approval", Json.tree(report.approval()));
            if ("approved".equals(report.approval().decision())) {
                p.put("approver", report.approval().actor());
            }
        }
        if (report.dryRunBundle() != null) {
            p.set("dry_run_bundle", Json.tree(report.dryRunBundle()));
        }
        ObjectNode audit = p.putObject("audit");
        audit.put("lines", head.lines());
        audit.put("last_line_sha256", head.lastLineSha256());
        p.put("signing_key_id", key.keyId());
        return p;
    }

    private static void putIfSet(ObjectNode n, String field, String value) {
        if (value != null && !value.isBlank()) {
            n.put(field, value);
        }
    }

    /** The link to the batch's dry-run bundle beside this one, when it has been written. */
    static BatchReport.BundleLink dryRunLink(Path reports, BatchEvent acc) {
        Path dry = bundleDir(reports, acc.operation(), acc.batchId(), Phase.DRY_RUN);
        Path manifest = dry.resolve(Manifest.FILE);
        if (!Files.isRegularFile(manifest)) {
            return null;
        }
        return new BatchReport.BundleLink("../" + dry.getFileName(), Digests.sha256Hex(manifest));
    }

    private static void write(Path dir, String name, String text, Map<String, String> files, Observer observer)
            throws IOException {
        observer.beforeWriting(name, dir);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(name), bytes);
        files.put(name, Digests.sha256Hex(bytes));
    }

    /** Where the audit chain ends: the number of lines and the SHA-256 of the last one. */
    record AuditHead(long lines, String lastLineSha256) {
    }

    private static AuditHead writeAudit(Path file, BatchAssembly batch, BatchReport report, Instant now) throws IOException {
        BatchEvent acc = batch.accepted();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Chain chain = new Chain(w);
            ObjectNode accepted = Json.mapper().createObjectNode();
            accepted.put("type", AuditChain.ACCEPTED);
            accepted.put("rows", acc.totalItems());
            accepted.put("items_to_run", acc.items().size());
            accepted.put("not_executed", acc.notExecuted().size());
            accepted.set("input", Json.tree(acc.input()));
            chain.line(acc.batchId(), acc.operation(), null, acc.phase(), 0, "verops", accepted, acc.at());
            for (AuditMessage a : batch.pipelineEvents()) {
                chain.line(a.batchId(), a.operation(), a.itemId(), a.phase() == null ? acc.phase() : a.phase(),
                        a.attempt(), a.source(), a.event(), a.at());
            }
            for (ControlMessage c : batch.halts()) {
                ObjectNode e = Json.mapper().createObjectNode();
                e.put("type", "verops.batch.halted");
                e.put("actor", c.actor());
                if (c.reason() != null) {
                    e.put("reason", c.reason());
                }
                if (c.gate() != null) {
                    e.set("gate", Json.tree(c.gate()));
                }
                chain.line(acc.batchId(), acc.operation(), null, acc.phase(), 0, "verops", e, c.at());
            }
            for (BatchReport.Entry e : report.results()) {
                for (AuditMessage a : batch.auditOf(e.itemId())) {
                    chain.line(a.batchId(), a.operation(), a.itemId(), a.phase() == null ? acc.phase() : a.phase(),
                            a.attempt(), a.source(), a.event(), a.at());
                }
                ObjectNode verdict = Json.mapper().createObjectNode();
                verdict.put("type", AuditChain.VERDICT);
                verdict.put("row", e.row());
                verdict.put("status", e.status().wire());
                verdict.put("message", e.message());
                verdict.put("attempts", e.attempts());
                chain.line(acc.batchId(), acc.operation(), e.itemId(), acc.phase(), e.attempts(), "verops", verdict, now);
            }
            ObjectNode done = Json.mapper().createObjectNode();
            done.put("type", AuditChain.ARCHIVED);
            done.put("total_items", report.totalItems());
            done.put("succeeded", report.succeeded());
            done.put("failed", report.failed());
            done.put("skipped", report.skipped());
            done.put("needs_input", report.needsInput());
            done.put("indeterminate", report.indeterminate());
            chain.line(acc.batchId(), acc.operation(), null, acc.phase(), 0, "verops", done, now);
            return new AuditHead(chain.seq, chain.prev);
        }
    }

    /** Writes audit lines, each with its position and the SHA-256 of the previous line. */
    private static final class Chain {
        private final BufferedWriter w;
        private String prev = AuditChain.GENESIS;
        private long seq;

        Chain(BufferedWriter w) {
            this.w = w;
        }

        void line(String batchId, String operation, String itemId, Phase phase, int attempt, String source,
                  JsonNode event, Instant at) throws IOException {
            ObjectNode n = Json.mapper().createObjectNode();
            n.put("seq", seq++);
            n.put("prev_sha256", prev);
            n.put("batch_id", batchId);
            n.put("operation", operation);
            if (itemId != null) {
                n.put("item_id", itemId);
            }
            n.put("phase", phase.wire());
            n.put("attempt", attempt);
            n.put("source", source);
            n.put("at", at.toString());
            n.set("event", event);
            // One JSON object per line: Jackson escapes line breaks inside strings, so a line never splits.
            String line = Json.write(n);
            w.write(line);
            w.write('\n');
            prev = AuditChain.hashOf(line);
        }
    }

    /** Removes the temporary folders a crashed write of this bundle left behind. */
    private static void removeLeftovers(Path parent, String bundleName) throws IOException {
        String prefix = "." + bundleName + TMP_MARK;
        try (Stream<Path> children = Files.list(parent)) {
            for (Path p : children.filter(c -> c.getFileName().toString().startsWith(prefix)).toList()) {
                deleteRecursively(p);
            }
        }
    }

    /** Makes the files and the folder durable before the rename publishes them. */
    private static void flush(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
        }
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UncheckedIOException e) {
            // not every platform can sync a folder; the files themselves are synced
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
