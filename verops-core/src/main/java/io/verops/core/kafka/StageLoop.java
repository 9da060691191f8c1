package io.verops.core.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.verops.core.Json;
import io.verops.core.messages.DeadLetter;
import io.verops.core.schema.MessageSchemas;
import io.verops.core.tracing.LogContext;
import io.verops.core.tracing.Tracing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume loop every stage runs: poll, check each record against its topic's schema, hand the good ones
 * to the stage's handler (up to {@code concurrency} at once, a new record starting as soon as a worker is free),
 * dead-letter the bad ones with the reason, and commit per partition the offset below which every record is
 * handled. While {@code concurrency} records are in flight the partitions are paused (the consumer still takes
 * part in its group). A bad record never stops the loop. With one worker, records are handled in the order read.
 * A handler that refuses a record throws {@link RecordRefusedException}: its message is the dead letter's reason
 * as it is; any other exception is an unexpected failure, dead-lettered as {@code stage <name> failed: <exception>}.
 * Each record is handled in a consumer span of its trace (see {@link #process}).
 */
public final class StageLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageLoop.class);

    private final String name;
    private final KafkaSettings settings;
    private final List<String> topics;
    private final RecordHandler handler;
    private final Publisher deadLetters;
    private final KafkaConsumer<String, String> consumer;
    private final ExecutorService workers;
    private final boolean replayFromStart;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final int concurrency;
    private final String groupId;
    private long lagReportedAt;
    /** The loop thread's books of the records it took, per partition. */
    private final Map<TopicPartition, Partition> tracked = new HashMap<>();
    /** Records the workers finished, for the loop thread to settle. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Finished> finished = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
    private volatile ProgressListener progress;
    /** Per partition of a replaying loop: the offset its group had committed when it was assigned. */
    private final Map<TopicPartition, Long> replayedBelow = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> processSpanNames = new java.util.concurrent.ConcurrentHashMap<>();
    /** Set by a graceful stop: no record is taken any more; those running may finish. */
    private volatile boolean draining;

    /**
     * @param replayFromStart read the assigned partitions from their beginning on every assignment (the
     *                        archiver rebuilds its state this way after a restart)
     */
    public StageLoop(String name, KafkaSettings settings, String groupId, List<String> topics, RecordHandler handler,
                     int concurrency, Publisher deadLetters, boolean replayFromStart) {
        this.name = Objects.requireNonNull(name, "name == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.topics = List.copyOf(topics);
        this.handler = Objects.requireNonNull(handler, "handler == null");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters == null");
        this.replayFromStart = replayFromStart;
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1 (found " + concurrency + ")");
        }
        this.concurrency = concurrency;
        this.groupId = Objects.requireNonNull(groupId, "groupId == null");
        Properties p = settings.baseProperties();
        p.put("group.id", groupId);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("max.poll.records", Integer.toString(Math.max(concurrency, 8)));
        p.put("max.poll.interval.ms", Integer.toString(60 * 60 * 1000));
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("client.id", "verops-" + name + "-" + Long.toHexString(System.nanoTime()));
        if (replayFromStart) {
            // co-partitioned topics keyed by batch: partition N of each goes to the same member
            p.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
        }
        this.consumer = new KafkaConsumer<>(p);
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "verops-" + name + "-worker");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, "verops-" + name);
        this.thread.setDaemon(true);
    }

    /** Tells {@code listener} how far the loop has read after every poll (set before {@link #start()}). */
    public StageLoop onProgress(ProgressListener listener) {
        this.progress = Objects.requireNonNull(listener, "listener == null");
        return this;
    }

    public StageLoop start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    handOver(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    partitions.forEach(tracked::remove); // another member owns them already: commit nothing
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (replayFromStart) {
                        // what lies below the group's committed offsets was handled before: read again, not traced
                        try {
                            consumer.committed(new java.util.HashSet<>(partitions)).forEach((tp, o) -> {
                                if (o != null) {
                                    replayedBelow.put(tp, o.offset());
                                }
                            });
                        } catch (Exception e) {
                            LOG.debug("stage {}: committed offsets not read ({}); replayed records are traced", name,
                                    e.toString());
                        }
                        consumer.seekToBeginning(partitions);
                    }
                }
            });
            while (running.get()) {
                settle();
                boolean full = !draining && inFlight() >= concurrency && awaitFreeWorker();
                if (draining || full) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
                // all workers busy: the wait was above, on the workers, so that one finishing is noticed at once
                ConsumerRecords<String, String> records = consumer.poll(full ? Duration.ZERO : Duration.ofMillis(100));
                for (ConsumerRecord<String, String> r : records) {
                    if (draining) {
                        break; // not taken: its offset is not committed, so it is redelivered
                    }
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Partition part = tracked.computeIfAbsent(tp, k -> new Partition());
                    part.taken(r.offset());
                    IncomingRecord in = read(r);
                    if (in == null) {
                        part.done(r.offset()); // dead-lettered on this thread
                        continue;
                    }
                    try {
                        workers.submit(() -> {
                            if (process(r, in)) {
                                finished.add(new Finished(tp, r.offset()));
                            }
                            wake.release();
                        });
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        // stopping: left pending, so never committed, so redelivered
                    }
                }
                settle();
                commit();
                reportProgress();
                reportLag();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("stage {} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping
        } catch (Exception e) {
            LOG.error("stage {} stopped on an unexpected error", name, e);
        } finally {
            try {
                settle();
                commit(); // what was done before the stop; work cut short is redelivered
            } catch (Exception e) {
                LOG.warn("stage {}: final commit failed: {}", name, e.toString());
            }
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Every worker is busy: waits up to 100 ms (the group's rebalances are still served in between) for one to
     * finish; true when they are all still busy.
     */
    private boolean awaitFreeWorker() throws InterruptedException {
        if (wake.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            settle();
        }
        return inFlight() >= concurrency;
    }

    /** Records taken from Kafka and not yet handled (running, or queued for a worker). */
    private int inFlight() {
        int n = 0;
        for (Partition p : tracked.values()) {
            n += p.pending.size();
        }
        return n;
    }

    /** Moves what the workers finished into the partitions' books (on the loop thread). */
    private void settle() {
        for (Finished f; (f = finished.poll()) != null; ) {
            Partition p = tracked.get(f.partition());
            if (p != null) {
                p.done(f.offset());
            }
        }
    }

    /** Commits, per partition, the offset below which every record is handled, where it moved. */
    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (Map.Entry<TopicPartition, Partition> e : tracked.entrySet()) {
            long safe = e.getValue().safe();
            if (safe > e.getValue().committed) {
                commits.put(e.getKey(), new OffsetAndMetadata(safe));
            }
        }
        if (!commits.isEmpty()) {
            consumer.commitSync(commits);
            commits.forEach((tp, o) -> tracked.get(tp).committed = o.offset());
        }
    }

    /**
     * Partitions taken away by a rebalance: their records in flight are finished first (the new owner must not
     * start an item this member still runs), then their offsets are committed. While stopping, nothing waits.
     */
    private void handOver(Collection<TopicPartition> partitions) {
        while (running.get() && partitions.stream().anyMatch(tp -> tracked.containsKey(tp)
                && !tracked.get(tp).pending.isEmpty())) {
            try {
                wake.tryAcquire(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            settle();
        }
        settle();
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Partition p = tracked.remove(tp);
            if (p != null && p.safe() > p.committed) {
                commits.put(tp, new OffsetAndMetadata(p.safe()));
            }
        }
        if (!commits.isEmpty()) {
            try {
                consumer.commitSync(commits);
            } catch (Exception e) {
                LOG.warn("stage {}: commit on hand-over failed ({}); those records are redelivered", name, e.toString());
            }
        }
    }

    /** The records of one partition this member took and has not finished, and where it stands. */
    private static final class Partition {
        final java.util.TreeSet<Long> pending = new java.util.TreeSet<>();
        long next = -1;
        long committed = -1;

        void taken(long offset) {
            pending.add(offset);
            next = Math.max(next, offset + 1);
        }

        void done(long offset) {
            pending.remove(offset);
        }

        /** Every record below this offset is handled. */
        long safe() {
            return pending.isEmpty() ? next : pending.first();
        }
    }

    private record Finished(TopicPartition partition, long offset) {
    }

    /** The group's lag on each topic over this member's partitions, as a metric, about once a second. */
    private void reportLag() {
        long now = System.nanoTime();
        if (now - lagReportedAt < 1_000_000_000L) {
            return;
        }
        lagReportedAt = now;
        Map<String, Long> byTopic = new HashMap<>();
        topics.forEach(t -> byTopic.put(t, 0L));
        for (TopicPartition tp : consumer.assignment()) {
            java.util.OptionalLong lag = consumer.currentLag(tp);
            if (lag.isPresent()) {
                byTopic.merge(tp.topic(), lag.getAsLong(), Long::sum);
            }
        }
        byTopic.forEach((topic, lag) -> io.verops.core.metrics.VeropsMetrics.lag(topic, groupId, lag));
    }

    private void reportProgress() {
        ProgressListener listener = progress;
        if (listener == null) {
            return;
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            Partition p = tracked.get(tp);
            if (p != null && !p.pending.isEmpty()) {
                positions.put(tp, p.safe());
                continue;
            }
            try {
                positions.put(tp, consumer.position(tp, Duration.ofSeconds(5)));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                // no position yet: the partition is left out until it has one
            }
        }
        try {
            listener.caughtUp(positions);
        } catch (Exception e) {
            LOG.error("stage {}: progress listener failed: {}", name, e.toString(), e);
        }
    }

    private IncomingRecord read(ConsumerRecord<String, String> r) {
        JsonNode json;
        try {
            json = r.value() == null ? null : Json.mapper().readTree(r.value());
        } catch (Exception e) {
            deadLetter(r, "not JSON: " + jsonProblem(e));
            return null;
        }
        if (json == null || !json.isObject()) {
            deadLetter(r, "not a JSON object");
            return null;
        }
        List<String> errors = MessageSchemas.validate(settings.topics(), r.topic(), json);
        if (!errors.isEmpty()) {
            deadLetter(r, "does not match schema of " + r.topic() + ": " + String.join("; ", errors));
            return null;
        }
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            if (h.value() != null) {
                headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return new IncomingRecord(r.topic(), r.partition(), r.offset(), r.key(), json, headers, r.value());
    }

    /** What is wrong with a value that is not JSON, and where: "line 1, column 37: unexpected end-of-input ...". */
    static String jsonProblem(Exception e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getOriginalMessage() != null) {
            String m = j.getOriginalMessage().lines().findFirst().orElse("");
            int cut = m.indexOf(" (start marker at ");
            if (cut >= 0) {
                m = m.substring(0, cut);
            }
            var at = j.getLocation();
            return (at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr()
                    + ": ") + m;
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    /**
     * Handles one record; false when a stop cut it short (it is then redelivered), true when it is done. The handler
     * runs inside a consumer span whose parent is the trace context of the record's headers (the producer's span),
     * so that what it publishes continues the record's trace, and with the trace, span, batch and item ids in the
     * logging context. A record a replaying loop reads again (below where its group had committed) gets no new span:
     * its handler runs in the record's own context.
     */
    private boolean process(ConsumerRecord<String, String> r, IncomingRecord in) {
        Context parent = Tracing.extract(in.headers());
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        boolean replay = r.offset() < replayedBelow.getOrDefault(tp, -1L);
        Span span = replay ? Span.fromContext(parent) : Tracing.tracer()
                .spanBuilder(processSpanNames.computeIfAbsent(r.topic(), t -> "process " + t))
                .setParent(parent).setSpanKind(SpanKind.CONSUMER).startSpan();
        if (!replay && span.isRecording()) {
            span.setAttribute(Tracing.MESSAGING_SYSTEM, "kafka");
            span.setAttribute(Tracing.DESTINATION, r.topic());
            span.setAttribute(Tracing.OPERATION_TYPE, "process");
            span.setAttribute(Tracing.OPERATION_NAME, "process");
            span.setAttribute(Tracing.MESSAGING_OPERATION, "process");
            span.setAttribute(Tracing.PARTITION, Integer.toString(r.partition()));
            span.setAttribute(Tracing.OFFSET, r.offset());
            span.setAttribute(Tracing.CONSUMER_GROUP, groupId);
            if (r.key() != null) {
                span.setAttribute(Tracing.MESSAGE_KEY, r.key());
            }
            String batch = in.json().path("batch_id").asText(null);
            if (batch != null) {
                span.setAttribute(Tracing.BATCH_ID, batch);
            }
        }
        try (Scope scope = parent.with(span).makeCurrent(); LogContext log = LogContext.of(span, in.json())) {
            return handle(r, in, span);
        } finally {
            if (!replay) {
                span.end();
            }
        }
    }

    private boolean handle(ConsumerRecord<String, String> r, IncomingRecord in, Span span) {
        try {
            handler.handle(in);
            return true;
        } catch (RecordRefusedException e) {
            span.setStatus(StatusCode.ERROR, "refused: " + e.getMessage());
            deadLetter(r, e.getMessage());
            return true;
        } catch (Exception e) {
            if (!running.get()) {
                LOG.info("stage {}: record {}-{}@{} interrupted by shutdown; it will be redelivered", name, r.topic(),
                        r.partition(), r.offset());
                return false;
            }
            Tracing.failed(span, e);
            LOG.error("stage {}: record {}-{}@{} failed: {}", name, r.topic(), r.partition(), r.offset(), e.toString(), e);
            deadLetter(r, "stage " + name + " failed: " + e);
            return true;
        }
    }

    private void deadLetter(ConsumerRecord<String, String> r, String reason) {
        LOG.warn("stage {}: dead-lettering {}-{}@{}: {}", name, r.topic(), r.partition(), r.offset(), reason);
        DeadLetter dl = new DeadLetter(r.topic(), r.partition(), r.offset(), r.key(), reason,
                r.value() == null ? null : truncate(r.value(), 100_000), Instant.now());
        // in the record's trace: the dead letter's producer span is a child of the handling or of the record's own
        Context context = Span.current().getSpanContext().isValid() ? Context.current() : Tracing.extract(r.headers());
        try (Scope scope = context.makeCurrent()) {
            Publisher.await(List.of(deadLetters.send(settings.topics().deadLetter(), r.key(), dl)));
        }
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * Stops at once: work in flight is interrupted (a codex run is killed) and work not yet started is dropped;
     * neither has its offset committed, so both are redelivered to the group's other members or the next start.
     */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Stops gracefully: takes no record any more, drops the records no worker has started (they are redelivered),
     * lets the running ones finish for up to {@code grace} and commits them, then stops at once as {@link #close()}
     * does: what is still running is interrupted and redelivered.
     */
    public void close(Duration grace) {
        draining = true;
        List<Runnable> notStarted = new java.util.ArrayList<>();
        if (workers instanceof java.util.concurrent.ThreadPoolExecutor pool) {
            pool.getQueue().drainTo(notStarted);
        }
        notStarted.forEach(r -> {
            if (r instanceof Future<?> f) {
                f.cancel(false);
            }
        });
        workers.shutdown();
        if (!grace.isZero() && !grace.isNegative()) {
            try {
                if (!workers.awaitTermination(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    LOG.warn("stage {}: work still running after {} s of grace is interrupted; it will be redelivered",
                            name, grace.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running.set(false);
        consumer.wakeup();
        for (Runnable dropped : workers.shutdownNow()) {
            if (dropped instanceof Future<?> f) {
                f.cancel(false);
            }
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
