package io.verops.core.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every partition of some topics, read from the beginning (read-committed, outside any consumer group) by a thread of
 * its own, each record handed to {@code apply} while holding {@code lock}; the state a stage builds from them (which
 * items started, which batches halted, the verdicts so far) is then guarded by that same lock.
 *
 * <p>{@link #catchUp()} returns once every record committed to those topics before it was called has been applied.
 * It asks the broker where the partitions end (one request, shared by the callers that arrive while another's
 * request has not been sent yet) and waits until the reading thread has got that far; the records themselves are
 * usually there already, because the thread keeps a fetch waiting at the broker, which answers as soon as one is
 * appended. While it waits, a caller holding {@code lock} releases it ({@link Object#wait}), so the reading thread
 * can apply; the caller holds it again when {@code catchUp} returns.
 */
public final class TopicTail implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final Object lock;
    private final Consumer<ConsumerRecord<String, String>> apply;
    private final KafkaConsumer<String, String> consumer;
    private final EndOffsets endOffsets;
    private final List<TopicPartition> partitions = new ArrayList<>();
    /** Guarded by {@code lock}: where the reading thread stands, per partition (the next offset it will apply). */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Guarded by {@code lock}: why the reading thread stopped, when it did. */
    private RuntimeException failure;

    /** Numbers the callers of {@link #catchUp()} in order of arrival. */
    private final AtomicLong arrivals = new AtomicLong();
    private final Object endRequest = new Object();
    /** Guarded by {@code endRequest}: callers numbered up to this arrived before {@link #lastEnd} was asked for. */
    private long covered;
    private Map<TopicPartition, Long> lastEnd = Map.of();

    /**
     * @param name  for the client ids and the thread's name
     * @param lock  what the thread holds while it applies a record, and notifies when it has applied some
     * @param apply called for every record, in offset order per partition, on the reading thread, holding {@code lock}
     */
    public TopicTail(KafkaSettings settings, String name, List<String> topics, Object lock,
                     Consumer<ConsumerRecord<String, String>> apply) {
        Objects.requireNonNull(settings, "settings == null");
        this.name = Objects.requireNonNull(name, "name == null");
        this.lock = Objects.requireNonNull(lock, "lock == null");
        this.apply = Objects.requireNonNull(apply, "apply == null");
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        p.put("isolation.level", "read_committed");
        p.put("client.id", "verops-" + name + "-" + Long.toHexString(System.nanoTime()));
        this.consumer = new KafkaConsumer<>(p);
        try {
            for (String t : topics) {
                for (PartitionInfo pi : consumer.partitionsFor(t, TIMEOUT)) {
                    partitions.add(new TopicPartition(t, pi.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            for (TopicPartition tp : partitions) {
                positions.put(tp, consumer.position(tp, TIMEOUT));
            }
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        this.endOffsets = new EndOffsets(settings, name);
        this.thread = new Thread(this::read, "verops-" + name + "-tail");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void read() {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(500));
                Map<TopicPartition, Long> now = new HashMap<>();
                for (TopicPartition tp : partitions) {
                    now.put(tp, consumer.position(tp, TIMEOUT));
                }
                synchronized (lock) {
                    for (ConsumerRecord<String, String> r : records) {
                        apply.accept(r);
                    }
                    positions.putAll(now);
                    lock.notifyAll();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                fail(new IllegalStateException(name + ": reading stopped: woken up unexpectedly", e));
            }
        } catch (RuntimeException e) {
            LOG.error("{}: reading stopped on an unexpected error", name, e);
            fail(new IllegalStateException(name + ": reading stopped: " + e, e));
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void fail(RuntimeException e) {
        synchronized (lock) {
            failure = e;
            lock.notifyAll();
        }
    }

    /**
     * Returns once everything committed to the topics before this call has been applied.
     *
     * @throws IllegalStateException when the broker does not answer, or the records are not read, within 30 s
     */
    public void catchUp() throws InterruptedException {
        Map<TopicPartition, Long> end = endAsOfNow();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (lock) {
            while (!reached(end)) {
                if (failure != null) {
                    throw failure;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException(name + ": the topics were not read up to their end within "
                            + TIMEOUT.toSeconds() + " s");
                }
                lock.wait(left);
            }
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (positions.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The partitions' ends, asked for after this call began: the answer to a request sent after this caller arrived
     * serves it, so callers arriving together share one request.
     */
    private Map<TopicPartition, Long> endAsOfNow() throws InterruptedException {
        long me = arrivals.incrementAndGet();
        synchronized (endRequest) {
            if (covered < me) {
                long upTo = arrivals.get(); // all of these arrived before the request below is sent
                lastEnd = endOffsets.of(partitions);
                covered = upTo;
            }
            return lastEnd;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endOffsets.close();
    }
}
