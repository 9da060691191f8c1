package io.verops.verifier;

import static io.verops.verifier.TestOperations.answer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.Evidence;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.Usage;
import io.verops.core.operation.OperationCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier stage on a real broker and a real SQLite target: verdicts, halts on the control topic, and gate
 * evaluations on the audit topic, published before the verdict that caused them.
 */
class VerifierStageTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    static EmbeddedKafka kafka;
    static KafkaSettings settings;
    static Publisher publisher;
    static OperationCatalog catalog;
    static VerifierSettings verifierSettings;

    @BeforeAll
    static void start() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stage");
        kafka = EmbeddedKafka.start(work.resolve("kafka"), 2);
        settings = KafkaSettings.local(kafka.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        publisher = new Publisher(settings, "verifier-test");
        catalog = OperationCatalog.load(TestOperations.copy("user-provisioning", def -> {
        }).getParent());
        Path db = work.resolve("users.db");
        Process p = new ProcessBuilder("sqlite3", db.toString())
                .redirectInput(TestOperations.root().resolve("operations/user-provisioning/target-setup.sql").toFile())
                .start();
        assertThat(p.waitFor()).isZero();
        verifierSettings = new VerifierSettings(work, Map.of("user-provisioning", db));
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static String email(int i) {
        return "u" + i + "@example.com";
    }

    /** Publishes the accepted plan of a dry run of {@code n} items. */
    static void plan(String batchId, int n) {
        List<BatchEvent.PlannedItem> items = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            items.add(new BatchEvent.PlannedItem(email(i), i, Map.of("email", email(i), "role", "viewer", "team", "t")));
        }
        BatchEvent accepted = new BatchEvent(BatchEvent.Type.ACCEPTED, batchId, "user-provisioning", Phase.DRY_RUN,
                CLOCK.instant(), new BatchEvent.InputInfo("x.csv", "csv", "0".repeat(64), n), n, items, List.of(),
                null, null, null);
        Publisher.await(List.of(publisher.send(settings.topics().batchEvents(), batchId, accepted)));
    }

    static IncomingRecord result(String batchId, int i, String status, Evidence evidence) {
        ResultMessage r = new ResultMessage(batchId, "user-provisioning", email(i), i, Phase.DRY_RUN, 1, false, 0,
                answer(email(i), status, true), null, Usage.ZERO, 4, CLOCK.instant(), CLOCK.instant(), 10, null, null,
                evidence);
        return new IncomingRecord(settings.topics().results(), 0, i, r.key(), Json.tree(r), Map.of());
    }

    static IncomingRecord skipped(String batchId, int i, String reason) {
        ResultMessage r = new ResultMessage(batchId, "user-provisioning", email(i), i, Phase.DRY_RUN, 0, false, null,
                null, null, Usage.ZERO, 0, CLOCK.instant(), CLOCK.instant(), 0, reason, null);
        return new IncomingRecord(settings.topics().results(), 0, i, r.key(), Json.tree(r), Map.of());
    }

    /** Every record of a topic for one batch, in the order of their timestamps. */
    static List<ConsumerRecord<String, String>> records(String topic, String batchId) {
        Properties p = settings.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (Json.parse(r.value()).path("batch_id").asText().equals(batchId)) {
                        out.add(r);
                    }
                });
            }
            out.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
            return out;
        }
    }

    static List<JsonNode> values(String topic, String batchId) {
        return records(topic, batchId).stream().map(r -> Json.parse(r.value())).toList();
    }

    static List<JsonNode> gateEvents(String batchId) {
        return values(settings.topics().audit(), batchId).stream()
                .filter(a -> a.path("event").path("type").asText().equals("verops.gate")).toList();
    }

    @Test
    void theFailureRatioHaltsJustPastTheThresholdAndNotAtIt() throws Exception {
        String batch = "b-ratio";
        plan(batch, 25);
        try (VerifierStage stage = new VerifierStage(catalog, publisher, verifierSettings, CLOCK)) {
            for (int i = 1; i <= 20; i++) {
                stage.handle(result(batch, i, i == 7 ? "failure" : "success", null));
            }
            assertThat(values(settings.topics().control(), batch)).as("1 of 20 is exactly 5%").isEmpty();
            stage.handle(result(batch, 21, "failure", null));
            stage.handle(skipped(batch, 22, "batch halted: 2 of 21 items failed (9.5% > 5%)"));
            stage.handle(result(batch, 23, "failure", null));
        }
        List<JsonNode> control = values(settings.topics().control(), batch);
        assertThat(control).singleElement().satisfies(h -> {
            assertThat(h.path("type").asText()).isEqualTo("halted");
            assertThat(h.path("phase").asText()).isEqualTo("dry_run");
            assertThat(h.path("actor").asText()).isEqualTo("verops verifier (gate failure_ratio)");
            assertThat(h.path("reason").asText()).isEqualTo("2 of 21 items failed (9.5% > 5%)");
            assertThat(h.path("gate").path("observed").asDouble()).isEqualTo(2.0 / 21);
            assertThat(h.path("gate").path("threshold").asDouble()).isEqualTo(0.05);
            assertThat(h.path("gate").path("detail").asText()).isEqualTo("batch halted: 2 of 21 items failed (9.5% > 5%)");
        });
        assertThat(gateEvents(batch)).singleElement().satisfies(a -> {
            assertThat(a.path("source").asText()).isEqualTo("verops");
            assertThat(a.has("item_id")).isFalse();
            assertThat(a.path("phase").asText()).isEqualTo("dry_run");
            assertThat(a.path("event").path("name").asText()).isEqualTo("failure_ratio");
            assertThat(a.path("event").path("outcome").asText()).isEqualTo("halted");
            assertThat(a.path("event").path("after_item").asText()).isEqualTo(email(21));
        });
        List<JsonNode> verdicts = values(settings.topics().verdicts(), batch);
        assertThat(verdicts).hasSize(23);
        assertThat(verdicts).filteredOn(v -> v.path("item_id").asText().equals(email(22))).singleElement()
                .satisfies(v -> assertThat(v.path("status").asText()).isEqualTo("skipped"));
        long gateTime = records(settings.topics().control(), batch).get(0).timestamp();
        long verdictTime = records(settings.topics().verdicts(), batch).stream()
                .filter(r -> r.value().contains(email(21))).findFirst().orElseThrow().timestamp();
        assertThat(gateTime).as("the halt is published before the verdict that caused it").isLessThanOrEqualTo(verdictTime);
    }

    @Test
    void aPhaseThatEndsWithinItsGatesRecordsEachGatesClosingEvaluationOnce() throws Exception {
        String batch = "b-closing";
        plan(batch, 3);
        Evidence noisy = new Evidence(List.of(new Evidence.Command("sqlite3 -readonly db 'SELECT 1'", 0, "completed",
                "error: a\nerror: b\nerror: c", 3, null)), List.of(), List.of(), null, "agent_message");
        try (VerifierStage stage = new VerifierStage(catalog, publisher, verifierSettings, CLOCK)) {
            for (int i = 1; i <= 3; i++) {
                stage.handle(result(batch, i, "success", noisy));
            }
            stage.handle(result(batch, 3, "success", noisy)); // delivered again
        }
        assertThat(values(settings.topics().control(), batch)).isEmpty();
        List<JsonNode> gates = gateEvents(batch).stream().map(a -> a.path("event")).toList();
        assertThat(gates).extracting(g -> g.path("name").asText() + " " + g.path("outcome").asText() + " "
                + g.path("observed").asText() + "/" + g.path("threshold").asText())
                .containsExactly("failure_ratio passed 0.0/0.05", "error_flood passed 3.0/10.0",
                        "destructive_output passed 0.0/0.0");
        assertThat(gates.get(0).path("detail").asText()).isEqualTo("0 of 3 items failed (0.0% <= 5%)");
        assertThat(gates.get(1).path("detail").asText()).isEqualTo("item u1@example.com: the output of 'sqlite3 "
                + "-readonly db 'SELECT 1'' has 3 lines mentioning error (limit 10)");
        assertThat(values(settings.topics().verdicts(), batch)).allSatisfy(v -> {
            assertThat(v.path("status").asText()).isEqualTo("success");
            assertThat(v.path("checks").toString()).contains("user-not-created-yet");
        });
    }

    @Test
    void destructiveOutputHaltsOnItsOwnVerdictLongBeforeTheMinimumSample() throws Exception {
        String batch = "b-destructive";
        plan(batch, 25);
        Evidence destructive = new Evidence(List.of(new Evidence.Command("echo 'deleted 3 rows'; sqlite3 -readonly db "
                + "'SELECT 1'", 0, "completed", "deleted 3 rows\n1", 0, "deleted 3 rows")), List.of(), List.of(), null,
                "agent_message");
        try (VerifierStage stage = new VerifierStage(catalog, publisher, verifierSettings, CLOCK)) {
            stage.handle(result(batch, 1, "success", null));
            stage.handle(result(batch, 2, "success", destructive));
        }
        assertThat(values(settings.topics().control(), batch)).as("2 of 25 verdicts, far from the sample of 20")
                .singleElement().satisfies(h -> {
                    assertThat(h.path("actor").asText()).isEqualTo("verops verifier (gate destructive_output)");
                    assertThat(h.path("gate").path("name").asText()).isEqualTo("destructive_output");
                    assertThat(h.path("gate").path("observed").asDouble()).isEqualTo(1.0);
                    assertThat(h.path("gate").path("threshold").asDouble()).isEqualTo(0.0);
                    assertThat(h.path("reason").asText()).startsWith("item u2@example.com: the output of 'echo 'deleted 3 "
                            + "rows'").contains("('deleted 3 rows') reports something destructive");
                });
        assertThat(values(settings.topics().verdicts(), batch)).filteredOn(v -> v.path("item_id").asText().equals(email(2)))
                .singleElement().satisfies(v -> assertThat(v.path("status").asText()).isEqualTo("failure"));
    }

    @Test
    void aRestartedVerifierCountsTheVerdictsPublishedBeforeIt() throws Exception {
        String batch = "b-restart";
        plan(batch, 4);
        try (VerifierStage first = new VerifierStage(catalog, publisher, verifierSettings, CLOCK)) {
            for (int i = 1; i <= 3; i++) {
                first.handle(result(batch, i, "success", null));
            }
        }
        try (VerifierStage second = new VerifierStage(catalog, publisher, verifierSettings, CLOCK)) {
            second.handle(result(batch, 4, "failure", null));
        }
        assertThat(values(settings.topics().control(), batch)).singleElement()
                .satisfies(h -> assertThat(h.path("reason").asText()).isEqualTo("1 of 4 items failed (25.0% > 5%)"));
    }

    @Test
    void anOperatorsHaltStopsTheGates() throws Exception {
        String batch = "b-operator";
        plan(batch, 2);
        var halt = new io.verops.core.messages.ControlMessage(io.verops.core.messages.ControlMessage.Type.HALTED, batch,
                null, null, "alice", "halted by an operator", null, CLOCK.instant());
        Publisher.await(List.of(publisher.send(settings.topics().control(), batch, halt)));
        try (VerifierStage stage = new VerifierStage(catalog, publisher, verifierSettings, CLOCK)) {
            stage.handle(result(batch, 1, "failure", null));
            stage.handle(skipped(batch, 2, "batch halted: halted by an operator"));
        }
        assertThat(values(settings.topics().control(), batch)).hasSize(1);
        assertThat(gateEvents(batch)).isEmpty();
    }
}
