package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.verops.core.tracing.Tracing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One trace per item across every hop of the four stages (ingest, executor with its codex process, verifier,
 * archiver; the stage code the services run), through the real broker and the real codex binary, dry run and apply:
 * the spans are taken by the SDK's in-memory exporter and their parent-child chain is checked hop by hop.
 */
class TracingEndToEndTest {
    static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    static OpenTelemetry previous;
    static OpenTelemetrySdk sdk;

    @BeforeAll
    static void install() {
        sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build()).build();
        previous = Tracing.install(sdk);
    }

    @AfterAll
    static void uninstall() {
        Tracing.install(previous);
        sdk.close();
    }

    @Test
    void everyItemHasOneTraceFromIngestThroughDryRunAndApplyToTheArchiver() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "tracing-" + System.nanoTime()).toAbsolutePath());
        Path csv = work.resolve("traced.csv");
        List<String> emails = List.of("tara@trace.example.com", "tom@trace.example.com", "tess@trace.example.com");
        Files.writeString(csv, "email,role,team\n" + emails.stream().map(e -> e + ",viewer,tracing\n")
                .collect(Collectors.joining()), StandardCharsets.UTF_8);

        CliRun run = CliRun.run("run", "--operation", "user-provisioning", "--input", csv.toString(), "--yes",
                "--reports", work.resolve("reports").toString(), "--target-db", work.resolve("t.db").toString(),
                "--concurrency", "3");
        assertThat(run.exitCode()).as(run.err()).isZero();

        List<SpanData> all = SPANS.getFinishedSpanItems();
        for (String email : emails) {
            SpanData ingest = only(all, s -> s.getName().equals("ingest item") && email.equals(item(s)));
            String trace = ingest.getTraceId();
            assertThat(ingest.getParentSpanId()).as("an item's trace starts at ingest").isEqualTo(SpanId.getInvalid());
            assertThat(ingest.getLinks()).as("linked to its batch's span").hasSize(1);
            List<SpanData> inTrace = all.stream().filter(s -> s.getTraceId().equals(trace)).toList();
            // no span of this item lies in another trace
            assertThat(all.stream().filter(s -> email.equals(item(s))).map(SpanData::getTraceId).distinct())
                    .containsExactly(trace);

            // dry run: ingest -> items topic -> executor -> codex -> results topic -> verifier -> verdicts -> archiver
            SpanData send = child(inTrace, ingest, "send verops.items", SpanKind.PRODUCER);
            SpanData consumed = child(inTrace, send, "process verops.items", SpanKind.CONSUMER);
            assertThat(consumed.getAttributes().get(Tracing.MESSAGING_SYSTEM)).isEqualTo("kafka");
            assertThat(consumed.getAttributes().get(Tracing.OFFSET)).isEqualTo(send.getAttributes().get(Tracing.OFFSET));
            assertThat(consumed.getAttributes().get(Tracing.PARTITION)).isEqualTo(send.getAttributes().get(Tracing.PARTITION));
            SpanData dryVerdicts = executorToArchiver(inTrace, consumed, "dry_run");

            // approval releases the apply in the item's trace: coordinator -> items topic -> executor ... -> archiver
            SpanData coordinator = only(inTrace, s -> s.getName().equals("process verops.verdicts")
                    && s.getParentSpanId().equals(dryVerdicts.getSpanId())
                    && "verops-coordinator".equals(s.getAttributes().get(Tracing.CONSUMER_GROUP)));
            SpanData release = child(inTrace, coordinator, "release apply", SpanKind.INTERNAL);
            SpanData applySend = child(inTrace, release, "send verops.items", SpanKind.PRODUCER);
            SpanData applyConsumed = child(inTrace, applySend, "process verops.items", SpanKind.CONSUMER);
            executorToArchiver(inTrace, applyConsumed, "apply");
        }

        // the bundles are batch-level work: a trace of their own, linked to every item's trace
        List<SpanData> bundles = all.stream().filter(s -> s.getName().equals("write bundle")).toList();
        assertThat(bundles).hasSize(2);
        for (SpanData bundle : bundles) {
            assertThat(bundle.getParentSpanId()).isEqualTo(SpanId.getInvalid());
            assertThat(bundle.getLinks().stream().map(LinkData::getSpanContext).map(c -> c.getTraceId()).distinct())
                    .containsExactlyInAnyOrderElementsOf(emails.stream().map(e -> only(all, s -> s.getName()
                            .equals("ingest item") && e.equals(item(s))).getTraceId()).toList());
        }
    }

    /** From the executor's consumer span of an item to the archiver's consumer span of its verdict. */
    private static SpanData executorToArchiver(List<SpanData> trace, SpanData consumed, String phase) {
        SpanData execute = child(trace, consumed, "execute item", SpanKind.INTERNAL);
        assertThat(execute.getAttributes().get(Tracing.PHASE)).isEqualTo(phase);
        SpanData attempt = child(trace, execute, "attempt 1", SpanKind.INTERNAL);
        child(trace, attempt, "codex exec", SpanKind.CLIENT);
        assertThat(trace.stream().filter(s -> s.getParentSpanId().equals(attempt.getSpanId())
                && s.getName().equals("send verops.audit"))).as("its codex events, sent in the attempt").isNotEmpty();
        SpanData result = child(trace, execute, "send verops.results", SpanKind.PRODUCER);
        SpanData verifierIn = child(trace, result, "process verops.results", SpanKind.CONSUMER);
        SpanData verify = child(trace, verifierIn, "verify item", SpanKind.INTERNAL);
        assertThat(verify.getAttributes().get(Tracing.STATUS)).isEqualTo("success");
        child(trace, verify, "post-conditions", SpanKind.INTERNAL);
        child(trace, verify, "check schema", SpanKind.INTERNAL);
        SpanData verdict = child(trace, verify, "send verops.verdicts", SpanKind.PRODUCER);
        SpanData archiver = only(trace, s -> s.getName().equals("process verops.verdicts")
                && s.getParentSpanId().equals(verdict.getSpanId())
                && "verops-archiver".equals(s.getAttributes().get(Tracing.CONSUMER_GROUP)));
        assertThat(archiver.getKind()).isEqualTo(SpanKind.CONSUMER);
        return verdict;
    }

    private static String item(SpanData s) {
        return s.getAttributes().get(Tracing.ITEM_ID);
    }

    private static SpanData child(List<SpanData> trace, SpanData parent, String name, SpanKind kind) {
        SpanData c = only(trace, s -> s.getName().equals(name) && s.getParentSpanId().equals(parent.getSpanId()));
        assertThat(c.getKind()).as(name).isEqualTo(kind);
        return c;
    }

    private static SpanData only(List<SpanData> spans, Predicate<SpanData> which) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).as("exactly one such span among %s", spans.stream().map(s -> s.getName() + "("
                + Optional.ofNullable(item(s)).orElse("") + ")").collect(Collectors.groupingBy(n -> n,
                Collectors.counting()))).hasSize(1);
        return found.get(0);
    }
}
