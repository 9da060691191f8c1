package io.verops.core.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.verops.core.Json;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ItemMessage;
import io.verops.core.schema.BatchEventCheck;
import io.verops.core.schema.ItemCheck;
import io.verops.core.schema.MessageSchemas;
import io.verops.core.tracing.Tracing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces verops messages: each is checked against its topic's schema first, serialised as JSON, and sent
 * with CloudEvents-style headers and the W3C trace context of its producer span ({@code traceparent}) by an
 * idempotent producer ({@code acks=all}). Thread-safe.
 */
public final class Publisher implements AutoCloseable {
    static final int BATCH_SIZE = 262_144;
    // header values that do not change from one message to the next (Kafka never modifies them)
    private static final byte[] SPEC_VERSION = bytes("1.0");
    private static final byte[] CONTENT_TYPE = bytes("application/json");
    private final java.util.Map<String, byte[]> typeHeaders = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, String> sendSpanNames = new java.util.concurrent.ConcurrentHashMap<>();
    private final byte[] sourceHeader;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaSettings settings;
    private final String source;
    private final String itemsTopic;
    private final String batchEventsTopic;

    /** How the producer trades latency for batching: a named choice, made where a stage builds its publisher. */
    public enum Batching {
        /**
         * {@code linger.ms=2}: a burst of records (ingest's items, a batch's release for its apply) waits 2 ms to fill
         * the 256 KiB batches that make ingest fast.
         */
        THROUGHPUT(2),
        /**
         * {@code linger.ms=0}: a record that a stage waits for before going on (an execution record, a result, a
         * verdict) leaves at once; records sent while a request is in flight still share the next one.
         */
        LATENCY(0);

        private final int lingerMs;

        Batching(int lingerMs) {
            this.lingerMs = lingerMs;
        }
    }

    /** A publisher for bursts of records ({@link Batching#THROUGHPUT}). */
    public Publisher(KafkaSettings settings, String source) {
        this(settings, source, Batching.THROUGHPUT);
    }

    public Publisher(KafkaSettings settings, String source, Batching batching) {
        Objects.requireNonNull(batching, "batching == null");
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.source = Objects.requireNonNull(source, "source == null");
        this.sourceHeader = bytes("/verops/" + source);
        this.itemsTopic = settings.topics().items();
        this.batchEventsTopic = settings.topics().batchEvents();
        Properties p = settings.baseProperties();
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", Integer.toString(batching.lingerMs));
        // a batch's accepted event may be as large as batch-events takes (TopicSetup); the producer refuses a record
        // larger than its buffer memory, so that is at least twice as large (it is a bound, not an allocation)
        p.put("max.request.size", Integer.toString(TopicSetup.BATCH_EVENTS_MAX_MESSAGE_BYTES));
        p.putIfAbsent("buffer.memory", Long.toString(2L * TopicSetup.BATCH_EVENTS_MAX_MESSAGE_BYTES));
        // 256 KiB batches instead of Kafka's 16 KiB: one batch per partition holds hundreds of items, which is what
        // lets ingest publish ~100,000 items/s (docs/ingest.md, benchmark); a client property can still set it
        p.putIfAbsent("batch.size", Integer.toString(BATCH_SIZE));
        p.put("key.serializer", StringSerializer.class.getName());
        // values are serialised by prepare (JSON written as UTF-8 bytes, no String in between)
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("client.id", "verops-" + source + "-" + UUID.randomUUID().toString().substring(0, 8));
        this.producer = new KafkaProducer<>(p);
    }

    public KafkaSettings settings() {
        return settings;
    }

    /**
     * Validates and sends; the future completes when the broker has the record. An item on the items topic (the
     * hot topic: one message per row) is checked by {@link ItemCheck}, the rules of item.json applied to the record
     * without a JSON tree; a batch event by {@link BatchEventCheck} (the schema, but the accepted event's entries, one
     * per row, checked on the records); every other message is validated against its topic's schema.
     */
    public Future<RecordMetadata> send(String topic, String key, Object message) {
        return send(prepare(topic, key, message));
    }

    /**
     * Validates and serialises a message without sending it, so that its size can be checked first (as ingest does
     * with a batch's accepted event); {@link #send(Prepared)} sends it. Validation is that of {@link #send}.
     *
     * @throws InvalidMessageException when the message does not validate
     */
    public Prepared prepare(String topic, String key, Object message) {
        Objects.requireNonNull(topic, "topic == null");
        byte[] payload;
        if (message instanceof ItemMessage item && topic.equals(itemsTopic)) {
            List<String> errors = ItemCheck.problems(item);
            if (!errors.isEmpty()) {
                throw new InvalidMessageException(topic, errors);
            }
            payload = Json.writeUtf8(item);
        } else if (message instanceof BatchEvent event && topic.equals(batchEventsTopic)) {
            List<String> errors = BatchEventCheck.problems(event);
            if (!errors.isEmpty()) {
                throw new InvalidMessageException(topic, errors);
            }
            payload = Json.writeUtf8(event);
        } else {
            JsonNode json = Json.tree(message);
            List<String> errors = MessageSchemas.validate(settings.topics(), topic, json);
            if (!errors.isEmpty()) {
                throw new InvalidMessageException(topic, errors);
            }
            payload = Json.writeUtf8(json);
        }
        return new Prepared(topic, key, payload);
    }

    /** Sends a prepared message; the future completes when the broker has the record. */
    public Future<RecordMetadata> send(Prepared prepared) {
        String topic = prepared.topic();
        String key = prepared.key();
        byte[] payload = prepared.value;
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", SPEC_VERSION);
        headers.add("ce_id", HeaderValues.randomUuid());
        headers.add("ce_type", typeHeaders.computeIfAbsent(topic, t -> bytes("io.verops." + settings.topics().kindOf(t))));
        headers.add("ce_source", sourceHeader);
        headers.add("ce_time", HeaderValues.now());
        headers.add("content-type", CONTENT_TYPE);
        // a producer span per record, child of whatever the caller is doing; its context travels in the headers
        Span span = Tracing.tracer().spanBuilder(sendSpanNames.computeIfAbsent(topic, t -> "send " + t))
                .setSpanKind(SpanKind.PRODUCER).startSpan();
        boolean recording = span.isRecording();
        if (recording) {
            span.setAttribute(Tracing.MESSAGING_SYSTEM, "kafka");
            span.setAttribute(Tracing.DESTINATION, topic);
            span.setAttribute(Tracing.OPERATION_TYPE, "send");
            span.setAttribute(Tracing.OPERATION_NAME, "send");
            span.setAttribute(Tracing.MESSAGING_OPERATION, "publish");
            if (key != null) {
                span.setAttribute(Tracing.MESSAGE_KEY, key);
            }
        }
        Tracing.inject(Context.current().with(span), headers);
        try {
            return producer.send(new ProducerRecord<>(topic, null, key, payload, headers), recording ? (md, e) -> {
                if (e != null) {
                    span.recordException(e);
                    span.setStatus(StatusCode.ERROR, e.toString());
                } else {
                    span.setAttribute(Tracing.PARTITION, Integer.toString(md.partition()));
                    span.setAttribute(Tracing.OFFSET, md.offset());
                }
                span.end();
            } : null);
        } finally {
            if (!recording) {
                span.end();
            }
        }
    }

    /** Sends all and waits until the broker has every one of them. */
    public void sendAll(List<Outgoing> messages) {
        List<Future<RecordMetadata>> futures = new ArrayList<>(messages.size());
        for (Outgoing m : messages) {
            futures.add(send(m.topic(), m.key(), m.message()));
        }
        await(futures);
    }

    public static void await(List<Future<RecordMetadata>> futures) {
        try {
            for (Future<RecordMetadata> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka acknowledgements", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not accept a record: " + e.getCause().getMessage(), e.getCause());
        }
    }

    public void flush() {
        producer.flush();
    }

    /**
     * Fetches the partitions and leaders of these topics now, so that a stage's first records do not wait for the
     * producer's metadata round trip (a stage calls it once, before it consumes).
     */
    public void warmUp(String... topics) {
        for (String topic : topics) {
            producer.partitionsFor(topic);
        }
    }

    @Override
    public void close() {
        producer.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A message to send. */
    public record Outgoing(String topic, String key, Object message) {
    }

    /**
     * A message validated and serialised by {@link #prepare}, ready to send: its topic, key, and value (the JSON, as
     * UTF-8 bytes that only the publisher reads).
     */
    public static final class Prepared {
        private final String topic;
        private final String key;
        private final byte[] value;

        Prepared(String topic, String key, byte[] value) {
            this.topic = Objects.requireNonNull(topic, "topic == null");
            this.key = key;
            this.value = Objects.requireNonNull(value, "value == null");
        }

        public String topic() {
            return topic;
        }

        public String key() {
            return key;
        }

        /** The serialised message (the record's value) as text. */
        public String payload() {
            return new String(value, StandardCharsets.UTF_8);
        }

        /** The size of the serialised message (the record's value), in bytes of UTF-8. */
        public long bytes() {
            return value.length;
        }

        @Override
        public String toString() {
            return "Prepared[topic=" + topic + ", key=" + key + ", " + value.length + " bytes]";
        }
    }
}
