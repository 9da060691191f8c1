package io.verops.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.verops.core.Phase;
import io.verops.core.Topics;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.ItemMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trace context through Kafka on the in-process broker: a record carries its producer span's W3C traceparent, the
 * consume loop handles it in a consumer span that is that span's child (with the messaging attributes), and what
 * the handler publishes continues the same trace.
 */
class KafkaTracingTest {
    static EmbeddedKafka broker;
    static InMemorySpanExporter spans = InMemorySpanExporter.create();
    static OpenTelemetry previous;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tracing-");
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 1);
        previous = Tracing.install(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(spans)).build()).build());
    }

    @AfterAll
    static void stop() {
        Tracing.install(previous);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aHandledRecordContinuesTheTraceOfItsProducerAndWhatTheHandlerPublishesStaysInIt() throws Exception {
        KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Map.of(), new Topics("trace."), 1);
        TopicSetup.ensureTopics(kafka);
        Map<String, String> seenHeaders = new ConcurrentHashMap<>();
        ItemMessage item = new ItemMessage("b-trace", "op", "alice", 1, Phase.DRY_RUN, Map.of("email", "alice"),
                Instant.now());
        String rootTrace;
        try (Publisher publisher = new Publisher(kafka, "test")) {
            StageLoop loop = new StageLoop("tracing", kafka, "g-trace", List.of(kafka.topics().items()),
                    (IncomingRecord r) -> {
                        seenHeaders.putAll(r.headers());
                        Publisher.await(List.of(publisher.send(kafka.topics().results(), r.key(), Map.of())));
                    }, 1, publisher, false).start();
            try (loop) {
                Span root = Tracing.tracer().spanBuilder("ingest item").startSpan();
                rootTrace = root.getSpanContext().getTraceId();
                try (Scope s = root.makeCurrent()) {
                    Publisher.await(List.of(publisher.send(kafka.topics().items(), item.key(), item)));
                } finally {
                    root.end();
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> spans.getFinishedSpanItems().stream()
                        .anyMatch(d -> d.getName().equals("process trace.items")));
            }
        }
        // the results message is schema-checked: an empty object is refused, so the handler's send failed and its
        // record was dead-lettered, in the same trace
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData root = one(all, "ingest item");
        SpanData send = one(all, "send trace.items");
        SpanData process = one(all, "process trace.items");
        SpanData deadLetter = one(all, "send trace.dead-letter");

        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(root.getSpanId());
        assertThat(send.getAttributes().get(Tracing.MESSAGING_SYSTEM)).isEqualTo("kafka");
        assertThat(send.getAttributes().get(Tracing.DESTINATION)).isEqualTo("trace.items");
        assertThat(send.getAttributes().get(Tracing.PARTITION)).isEqualTo("0");
        assertThat(send.getAttributes().get(Tracing.OFFSET)).isNotNull();

        assertThat(seenHeaders.get("traceparent"))
                .isEqualTo("00-" + rootTrace + "-" + send.getSpanId() + "-01");
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(rootTrace);
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getAttributes().get(Tracing.OPERATION_TYPE)).isEqualTo("process");
        assertThat(process.getAttributes().get(Tracing.CONSUMER_GROUP)).isEqualTo("g-trace");
        assertThat(process.getAttributes().get(Tracing.OFFSET)).isEqualTo(send.getAttributes().get(Tracing.OFFSET));
        assertThat(process.getAttributes().get(Tracing.BATCH_ID)).isEqualTo("b-trace");

        assertThat(deadLetter.getTraceId()).isEqualTo(rootTrace);
        assertThat(deadLetter.getParentSpanId()).isEqualTo(process.getSpanId());
    }

    @Test
    void withoutAnyTracingInstalledNothingIsInjected() {
        OpenTelemetry installed = Tracing.install(OpenTelemetry.noop());
        try {
            var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
            Span span = Tracing.tracer().spanBuilder("x").startSpan();
            Tracing.inject(io.opentelemetry.context.Context.current().with(span), headers);
            assertThat(headers.lastHeader("traceparent")).isNull();
            assertThat(Tracing.carrier(span.getSpanContext())).isEmpty();
        } finally {
            Tracing.install(installed);
        }
    }

    private static SpanData one(List<SpanData> all, String name) {
        List<SpanData> found = all.stream().filter(d -> d.getName().equals(name)).toList();
        assertThat(found).as("spans named '%s' among %s", name, all.stream().map(SpanData::getName).toList())
                .hasSize(1);
        return found.get(0);
    }
}
