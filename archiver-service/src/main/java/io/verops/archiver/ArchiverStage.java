package io.verops.archiver;

import io.verops.core.Json;
import io.verops.core.ItemStatus;
import io.verops.core.Topics;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.VerdictMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver stage: gathers the accepted plan, the verdicts and the audit events of each batch, and writes
 * the evidence bundle once the batch is complete, then announces it on batch-events. Run with a single
 * worker (records are applied in order) and with replay from the start: its state is rebuilt from Kafka.
 */
public final class ArchiverStage {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiverStage.class);

    private final Path reports;
    private final Publisher publisher;
    private final Clock clock;
    private final Map<String, BatchAssembly> open = new HashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();

    public ArchiverStage(Path reports, Publisher publisher, Clock clock) {
        this.reports = Objects.requireNonNull(reports, "reports == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    public Path reports() {
        return reports;
    }

    public List<String> topics(Topics topics) {
        return List.of(topics.batchEvents(), topics.verdicts(), topics.audit());
    }

    public synchronized void handle(IncomingRecord record) throws Exception {
        Topics topics = publisher.settings().topics();
        String key;
        if (record.topic().equals(topics.batchEvents())) {
            BatchEvent e = Json.convert(record.json(), BatchEvent.class);
            key = key(e.batchId(), e.phase().wire());
            if (e.type() == BatchEvent.Type.COMPLETED) {
                done.add(key);
                open.remove(key);
                return;
            }
            if (done.contains(key)) {
                return;
            }
            assembly(key, e.batchId()).accept(e);
        } else if (record.topic().equals(topics.verdicts())) {
            VerdictMessage v = Json.convert(record.json(), VerdictMessage.class);
            key = key(v.batchId(), v.phase().wire());
            if (done.contains(key)) {
                return;
            }
            assembly(key, v.batchId()).verdict(v);
        } else {
            AuditMessage a = Json.convert(record.json(), AuditMessage.class);
            key = key(a.batchId(), a.phase() == null ? "apply" : a.phase().wire());
            if (done.contains(key)) {
                return;
            }
            assembly(key, a.batchId()).audit(a);
        }
        BatchAssembly b = open.get(key);
        if (b != null && b.complete()) {
            complete(key, b);
        }
    }

    private void complete(String key, BatchAssembly b) throws Exception {
        BatchEvent acc = b.accepted();
        Path dir = BundleWriter.bundleDir(reports, acc.operation(), acc.batchId(), acc.phase());
        boolean existed = Files.exists(dir);
        BatchReport report = b.report(clock.instant());
        if (!existed) {
            dir = BundleWriter.write(reports, b, clock.instant());
            LOG.info("batch {} ({}): bundle written to {}", acc.batchId(), acc.phase().wire(), dir);
        }
        Map<String, Integer> counts = new HashMap<>();
        counts.put("total_items", report.totalItems());
        counts.put(ItemStatus.SUCCESS.wire(), report.succeeded());
        counts.put(ItemStatus.FAILURE.wire(), report.failed());
        counts.put(ItemStatus.SKIPPED.wire(), report.skipped());
        counts.put(ItemStatus.NEEDS_INPUT.wire(), report.needsInput());
        counts.put(ItemStatus.INDETERMINATE.wire(), report.indeterminate());
        BatchEvent completed = new BatchEvent(BatchEvent.Type.COMPLETED, acc.batchId(), acc.operation(), acc.phase(),
                clock.instant(), null, null, null, null, dir.toAbsolutePath().toString(), counts);
        Publisher.await(List.of(publisher.send(publisher.settings().topics().batchEvents(), acc.batchId(), completed)));
        done.add(key);
        open.remove(key);
    }

    private BatchAssembly assembly(String key, String batchId) {
        return open.computeIfAbsent(key, k -> new BatchAssembly(batchId));
    }

    private static String key(String batchId, String phase) {
        return batchId + "/" + phase;
    }

    /** The bundle folder of a batch id, searched under the reports folder (any operation), or null. */
    public Path findBundle(String batchId) {
        try (var ops = Files.list(reports)) {
            for (Path op : ops.toList()) {
                Path candidate = op.resolve(batchId);
                if (Files.isRegularFile(candidate.resolve("report.json"))) {
                    return candidate;
                }
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }
}
