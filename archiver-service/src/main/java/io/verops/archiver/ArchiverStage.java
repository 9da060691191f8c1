package io.verops.archiver;

import io.verops.core.ItemStatus;
import io.verops.core.Json;
import io.verops.core.Topics;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.VerdictMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archiver stage: gathers the accepted plan (with the apply's approval), the verdicts, the audit events and
 * the halts (topic control) of each batch, and writes the signed evidence bundle once the batch is complete, then
 * announces it on batch-events. Run with a single worker (records are applied in order) and with replay from the
 * start: its state is rebuilt from Kafka, so an archiver that crashed while writing writes the bundle whole
 * after its restart.
 */
public final class ArchiverStage {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiverStage.class);
    private static final java.util.regex.Pattern SAFE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private final Path reports;
    private final Publisher publisher;
    private final Clock clock;
    private final BundleContext context;
    private final BundleWriter.Observer observer;
    private final Map<String, BatchAssembly> open = new HashMap<>();
    private final Map<String, List<ControlMessage>> control = new HashMap<>();
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private SigningKey key;

    /** An archiver whose provenance comes from {@link BundleContext#forHome} of the default verops home. */
    public ArchiverStage(Path reports, Publisher publisher, Clock clock) {
        this(reports, publisher, clock, BundleContext.forHome(BundleContext.defaultHome()));
    }

    public ArchiverStage(Path reports, Publisher publisher, Clock clock, BundleContext context) {
        this(reports, publisher, clock, context, BundleWriter.Observer.NONE);
    }

    ArchiverStage(Path reports, Publisher publisher, Clock clock, BundleContext context, BundleWriter.Observer observer) {
        this.reports = Objects.requireNonNull(reports, "reports == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.context = Objects.requireNonNull(context, "context == null");
        this.observer = Objects.requireNonNull(observer, "observer == null");
    }

    public Path reports() {
        return reports;
    }

    public BundleContext context() {
        return context;
    }

    public List<String> topics(Topics topics) {
        return List.of(topics.batchEvents(), topics.verdicts(), topics.audit(), topics.control());
    }

    public synchronized void handle(IncomingRecord record) throws Exception {
        Topics topics = publisher.settings().topics();
        String key;
        if (record.topic().equals(topics.control())) {
            ControlMessage c = Json.convert(record.json(), ControlMessage.class);
            control.computeIfAbsent(c.batchId(), k -> new ArrayList<>()).add(c);
            for (Map.Entry<String, BatchAssembly> e : open.entrySet()) {
                if (e.getValue().batchId().equals(c.batchId())) {
                    e.getValue().control(c);
                }
            }
            return;
        }
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
        } else if (record.topic().equals(topics.audit())) {
            AuditMessage a = Json.convert(record.json(), AuditMessage.class);
            key = key(a.batchId(), a.phase() == null ? "apply" : a.phase().wire());
            if (done.contains(key)) {
                return;
            }
            assembly(key, a.batchId()).audit(a);
        } else {
            return;
        }
        BatchAssembly b = open.get(key);
        if (b != null && b.complete()) {
            complete(key, b);
        }
    }

    private void complete(String key, BatchAssembly b) throws Exception {
        BatchEvent acc = b.accepted();
        BatchReport report = b.report(clock.instant());
        Path dir = BundleWriter.write(reports, b, clock.instant(), context, signingKey(), observer);
        LOG.info("batch {} ({}): bundle in {}", acc.batchId(), acc.phase().wire(), dir);
        Map<String, Integer> counts = new HashMap<>();
        counts.put("total_items", report.totalItems());
        counts.put(ItemStatus.SUCCESS.wire(), report.succeeded());
        counts.put(ItemStatus.FAILURE.wire(), report.failed());
        counts.put(ItemStatus.SKIPPED.wire(), report.skipped());
        counts.put(ItemStatus.NEEDS_INPUT.wire(), report.needsInput());
        counts.put(ItemStatus.INDETERMINATE.wire(), report.indeterminate());
        BatchEvent completed = new BatchEvent(BatchEvent.Type.COMPLETED, acc.batchId(), acc.operation(), acc.phase(),
                clock.instant(), null, null, null, null, dir.toAbsolutePath().toString(), counts, null);
        Publisher.await(List.of(publisher.send(publisher.settings().topics().batchEvents(), acc.batchId(), completed)));
        done.add(key);
        open.remove(key);
    }

    /** The signing key, loaded (or created) on first use. */
    private SigningKey signingKey() {
        if (key == null) {
            key = SigningKey.loadOrCreate(context.keys());
        }
        return key;
    }

    private BatchAssembly assembly(String key, String batchId) {
        return open.computeIfAbsent(key, k -> {
            BatchAssembly b = new BatchAssembly(batchId);
            control.getOrDefault(batchId, List.of()).forEach(b::control);
            return b;
        });
    }

    private static String key(String batchId, String phase) {
        return batchId + "/" + phase;
    }

    /**
     * The bundle folder of a batch id ({@code <id>.dry-run} for its dry run), searched under the reports folder
     * (any operation), or null. Ids other than letters, digits, '.', '_' and '-' find nothing.
     */
    public Path findBundle(String batchId) {
        if (batchId == null || !SAFE_ID.matcher(batchId).matches() || !Files.isDirectory(reports)) {
            return null;
        }
        try (Stream<Path> ops = Files.list(reports)) {
            for (Path op : ops.toList()) {
                Path candidate = op.resolve(batchId);
                if (Files.isRegularFile(candidate.resolve("report.json"))) {
                    return candidate;
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
