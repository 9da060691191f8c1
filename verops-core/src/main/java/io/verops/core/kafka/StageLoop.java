package io.verops.core.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.messages.DeadLetter;
import io.verops.core.schema.MessageSchemas;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * to the stage's handler (up to {@code concurrency} at once), dead-letter the bad ones with the reason, and
 * commit the offsets only when every record of the poll is done. A bad record never stops the loop. A handler
 * that refuses a record throws {@link RecordRefusedException}: its message is the dead letter's reason as it is;
 * any other exception is an unexpected failure, dead-lettered as {@code stage <name> failed: <exception>}.
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
    private volatile ProgressListener progress;

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
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (replayFromStart) {
                        consumer.seekToBeginning(partitions);
                    }
                }
            });
            while (running.get()) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    reportProgress();
                    continue;
                }
                List<Future<?>> pending = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
                for (ConsumerRecord<String, String> r : records) {
                    IncomingRecord in = read(r);
                    if (in != null) {
                        pending.add(workers.submit(() -> process(r, in)));
                    }
                    commits.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                for (Future<?> f : pending) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.CancellationException e) {
                        // dropped by close() before it started: it will be redelivered
                    }
                }
                if (!running.get()) {
                    break; // stopping: work cut short is redelivered, so its offsets stay uncommitted
                }
                consumer.commitSync(commits);
                reportProgress();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                LOG.error("stage {} woken up unexpectedly", name, e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.error("stage {} stopped on an unexpected error", name, e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void reportProgress() {
        ProgressListener listener = progress;
        if (listener == null) {
            return;
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
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

    private void process(ConsumerRecord<String, String> r, IncomingRecord in) {
        try {
            handler.handle(in);
        } catch (RecordRefusedException e) {
            deadLetter(r, e.getMessage());
        } catch (Exception e) {
            if (!running.get()) {
                LOG.info("stage {}: record {}-{}@{} interrupted by shutdown; it will be redelivered", name, r.topic(),
                        r.partition(), r.offset());
                return;
            }
            LOG.error("stage {}: record {}-{}@{} failed: {}", name, r.topic(), r.partition(), r.offset(), e.toString(), e);
            deadLetter(r, "stage " + name + " failed: " + e);
        }
    }

    private void deadLetter(ConsumerRecord<String, String> r, String reason) {
        LOG.warn("stage {}: dead-lettering {}-{}@{}: {}", name, r.topic(), r.partition(), r.offset(), reason);
        DeadLetter dl = new DeadLetter(r.topic(), r.partition(), r.offset(), r.key(), reason,
                r.value() == null ? null : truncate(r.value(), 100_000), Instant.now());
        Publisher.await(List.of(deadLetters.send(settings.topics().deadLetter(), r.key(), dl)));
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
