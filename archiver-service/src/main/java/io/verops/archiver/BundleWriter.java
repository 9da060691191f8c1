package io.verops.archiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.internal.Digests;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.schema.MessageSchemas;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Writes the evidence bundle of a complete batch into {@code <reports>/<operation>/<batch-id>/}: report.json
 * (checked against {@code schemas/batch-report.json} first), results.csv and audit.jsonl, whose every line
 * carries the SHA-256 of the line before it. The bundle is written in a temporary folder and renamed into
 * place, so a crash leaves no half bundle.
 */
public final class BundleWriter {
    public static final String GENESIS = "0".repeat(64);

    private BundleWriter() {
    }

    /** The bundle folder of a batch and phase (the dry run gets its own, beside the apply's). */
    public static Path bundleDir(Path reports, String operation, String batchId, Phase phase) {
        return reports.resolve(operation).resolve(phase == Phase.DRY_RUN ? batchId + ".dry-run" : batchId);
    }

    public static Path write(Path reports, BatchAssembly batch, Instant now) throws IOException {
        BatchReport report = batch.report(now);
        JsonNode reportJson = Json.tree(report);
        List<String> errors = MessageSchemas.named("batch-report.json").validate(reportJson);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("report of batch " + batch.batchId() + " does not match "
                    + "schemas/batch-report.json: " + String.join("; ", errors));
        }
        Path target = bundleDir(reports, report.operation(), report.batchId(), batch.accepted().phase());
        if (Files.exists(target)) {
            return target;
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            Files.writeString(tmp.resolve("report.json"), Json.pretty(reportJson) + "\n", StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("results.csv"), ResultsCsv.render(report), StandardCharsets.UTF_8);
            writeAudit(tmp.resolve("audit.jsonl"), batch, report, now);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
        } finally {
            deleteRecursively(tmp);
        }
        return target;
    }

    private static void writeAudit(Path file, BatchAssembly batch, BatchReport report, Instant now) throws IOException {
        BatchEvent acc = batch.accepted();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Chain chain = new Chain(w);
            ObjectNode accepted = Json.mapper().createObjectNode();
            accepted.put("type", "verops.batch.accepted");
            accepted.put("rows", acc.totalItems());
            accepted.put("items_to_run", acc.items().size());
            accepted.put("not_executed", acc.notExecuted().size());
            accepted.set("input", Json.tree(acc.input()));
            chain.line(acc.batchId(), acc.operation(), null, acc.phase(), 0, "verops", accepted, acc.at());
            for (AuditMessage a : batch.pipelineEvents()) {
                chain.line(a.batchId(), a.operation(), a.itemId(), a.phase(), a.attempt(), a.source(), a.event(), a.at());
            }
            for (BatchReport.Entry e : report.results()) {
                for (AuditMessage a : batch.auditOf(e.itemId())) {
                    chain.line(a.batchId(), a.operation(), a.itemId(), a.phase(), a.attempt(), a.source(), a.event(), a.at());
                }
                ObjectNode verdict = Json.mapper().createObjectNode();
                verdict.put("type", "verops.item.verdict");
                verdict.put("row", e.row());
                verdict.put("status", e.status().wire());
                verdict.put("message", e.message());
                verdict.put("attempts", e.attempts());
                chain.line(acc.batchId(), acc.operation(), e.itemId(), acc.phase(), e.attempts(), "verops", verdict, now);
            }
            ObjectNode done = Json.mapper().createObjectNode();
            done.put("type", "verops.batch.archived");
            done.put("total_items", report.totalItems());
            done.put("succeeded", report.succeeded());
            done.put("failed", report.failed());
            done.put("skipped", report.skipped());
            done.put("needs_input", report.needsInput());
            done.put("indeterminate", report.indeterminate());
            chain.line(acc.batchId(), acc.operation(), null, acc.phase(), 0, "verops", done, now);
        }
    }

    /** Writes audit lines, each with its position and the SHA-256 of the previous line. */
    private static final class Chain {
        private final BufferedWriter w;
        private String prev = GENESIS;
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
            String line = Json.write(n);
            w.write(line);
            w.write('\n');
            prev = Digests.sha256Hex(line.getBytes(StandardCharsets.UTF_8));
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
