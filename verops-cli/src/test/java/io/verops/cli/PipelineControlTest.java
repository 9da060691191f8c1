package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.codexsim.CodexSim;
import io.verops.codexsim.Fault;
import io.verops.codexsim.SimConfig;
import io.verops.core.BatchIds;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.operation.OperationCatalog;
import io.verops.executor.ExecutorSettings;
import io.verops.executor.ModelEndpoint;
import io.verops.ingest.BatchFormat;
import io.verops.ingest.BatchInput;
import io.verops.ingest.BatchPlan;
import io.verops.ingest.BatchPlanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's guarantees with executors stopped hard, doubled and halted, on the real broker with the real
 * codex binary: apply at most once, one run per item across a consumer group, and a halt that stops new work.
 */
class PipelineControlTest {
    private static final Path HOME = CliRun.homeWithoutFailureGate("user-provisioning");

    private record Rig(Path dir, Path db, Path reports, CodexSim sim, LocalPipeline pipeline, ExecutorSettings settings)
            implements AutoCloseable {
        @Override
        public void close() {
            pipeline.close();
            sim.close();
        }
    }

    private static Rig rig(String name, int concurrency, SimConfig sim) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "pipeline-" + name + "-" + System.nanoTime()).toAbsolutePath());
        Path db = dir.resolve("users.db");
        CodexSim s = CodexSim.start(sim);
        OperationCatalog catalog = OperationCatalog.load(HOME.resolve("operations"));
        ExecutorSettings settings = new ExecutorSettings(VeropsHome.codexBinary(CliRun.repoRoot()), HOME,
                dir.resolve("work"), ModelEndpoint.codexSim(s.baseUrl()), concurrency, Duration.ofMillis(200),
                Map.of("user-provisioning", db), Duration.ofSeconds(120));
        LocalPipeline p = LocalPipeline.start(catalog, settings, dir.resolve("kafka"), dir.resolve("reports"),
                Clock.systemUTC(), false);
        return new Rig(dir, db, dir.resolve("reports"), s, p, settings);
    }

    private static BatchPlan submit(Rig rig, String batchId, List<String> emails) {
        StringBuilder csv = new StringBuilder("email,role,team\n");
        for (String e : emails) {
            csv.append(e).append(",viewer,qa\n");
        }
        OperationCatalog catalog = OperationCatalog.load(HOME.resolve("operations"));
        BatchPlan plan = new BatchPlanner(Clock.systemUTC()).plan(catalog.require("user-provisioning"), batchId,
                Phase.DRY_RUN, new BatchInput("batch.csv", BatchFormat.CSV, csv.toString().getBytes(StandardCharsets.UTF_8)));
        rig.pipeline.ingest().publish(plan);
        return plan;
    }

    private static void control(Rig rig, String batchId, ControlMessage.Type type, String reason) {
        Publisher p = rig.pipeline.publisher();
        Publisher.await(List.of(p.send(p.settings().topics().control(), batchId, new ControlMessage(type, batchId,
                "user-provisioning", type == ControlMessage.Type.HALTED ? null : Phase.APPLY, "test", reason, null,
                Instant.now()))));
    }

    private static Map<String, JsonNode> results(String bundle) throws Exception {
        Map<String, JsonNode> byId = new HashMap<>();
        Json.mapper().readTree(Path.of(bundle, "report.json").toFile()).path("results")
                .forEach(r -> byId.put(r.path("item_id").asText(), r));
        return byId;
    }

    @Test
    void anApplyCutShortByAStoppedExecutorIsNotRunAgainButEndsIndeterminate() throws Exception {
        String victim = "victim@example.com";
        try (Rig rig = rig("crash", 1, SimConfig.defaults().withFault(
                Fault.parse("hang:item=" + victim + ",phase=apply,turn=2,times=1")))) {
            AutoCloseable first = rig.pipeline.addExecutor(rig.settings);
            String batchId = BatchIds.next(Clock.systemUTC());
            List<String> emails = List.of("a1@example.com", "a2@example.com", victim, "a3@example.com", "a4@example.com");
            try (BatchWatcher watcher = new BatchWatcher(rig.pipeline.kafka())) {
                submit(rig, batchId, emails);
                control(rig, batchId, ControlMessage.Type.APPROVED, "go");
                // the victim's insert ran and its next model turn hangs: stop the executor hard now
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() ->
                        Sqlite.query(rig.db, "SELECT count(*) FROM users WHERE email = '" + victim + "'").equals(List.of("1")));
                first.close();
                rig.pipeline.addExecutor(rig.settings);
                BatchEvent done = watcher.awaitCompleted(batchId, Phase.APPLY, Duration.ofMinutes(5), v -> { });
                Map<String, JsonNode> r = results(done.bundle());
                assertThat(r.get(victim).path("status").asText()).isEqualTo("indeterminate");
                assertThat(r.get(victim).path("message").asText()).contains("no outcome was recorded")
                        .contains("check the target");
                for (String e : emails) {
                    if (!e.equals(victim)) {
                        assertThat(r.get(e).path("status").asText()).as(e).isEqualTo("success");
                    }
                }
            }
            assertThat(Sqlite.query(rig.db, "SELECT email FROM users ORDER BY email"))
                    .as("every user exactly once, the victim's change made once and never repeated")
                    .containsExactly("a1@example.com", "a2@example.com", "a3@example.com", "a4@example.com", victim);
        }
    }

    @Test
    void twoExecutorsInOneGroupShareABatchAndRunEachItemOnce() throws Exception {
        try (Rig rig = rig("shared", 2, SimConfig.defaults().withLatency(Duration.ofMillis(200)))) {
            rig.pipeline.addExecutor(rig.settings);
            rig.pipeline.addExecutor(rig.settings);
            String batchId = BatchIds.next(Clock.systemUTC());
            // two items on each of the four partitions, so both executors get work
            List<String> emails = new ArrayList<>();
            int[] perPartition = new int[4];
            for (int i = 0; emails.size() < 8; i++) {
                String e = "u" + i + "@example.com";
                int partition = Utils.toPositive(Utils.murmur2((batchId + "/" + e).getBytes(StandardCharsets.UTF_8))) % 4;
                if (perPartition[partition] < 2) {
                    perPartition[partition]++;
                    emails.add(e);
                }
            }
            try (BatchWatcher watcher = new BatchWatcher(rig.pipeline.kafka())) {
                submit(rig, batchId, emails);
                control(rig, batchId, ControlMessage.Type.APPROVED, "go");
                BatchEvent done = watcher.awaitCompleted(batchId, Phase.APPLY, Duration.ofMinutes(8), v -> { });
                assertThat(done.counts().get("success")).isEqualTo(8);
                Map<String, Integer> runs = new HashMap<>();
                Set<String> executors = new HashSet<>();
                for (String line : Files.readAllLines(Path.of(done.bundle(), "audit.jsonl"))) {
                    JsonNode a = Json.mapper().readTree(line);
                    if (a.path("event").path("type").asText().equals("thread.started")) {
                        runs.merge(a.path("item_id").asText(), 1, Integer::sum);
                    }
                }
                assertThat(runs).hasSize(8).allSatisfy((item, n) -> assertThat(n).as(item).isEqualTo(1));
                executors.addAll(ExecutionsTopic.executorsOf(rig.pipeline.kafka(), batchId));
                assertThat(executors).as("both executors ran items").hasSize(2);
            }
            assertThat(Sqlite.query(rig.db, "SELECT count(*) FROM users")).containsExactly("8");
        }
    }

    @Test
    void aHaltStopsNewWorkOnTheBatchTheRestIsSkippedAndTheApplyIsNeverReleased() throws Exception {
        try (Rig rig = rig("halt", 1, SimConfig.defaults().withLatency(Duration.ofMillis(300)))) {
            rig.pipeline.addExecutor(rig.settings);
            String batchId = BatchIds.next(Clock.systemUTC());
            List<String> emails = List.of("h1@example.com", "h2@example.com", "h3@example.com", "h4@example.com",
                    "h5@example.com", "h6@example.com");
            try (BatchWatcher watcher = new BatchWatcher(rig.pipeline.kafka())) {
                submit(rig, batchId, emails);
                control(rig, batchId, ControlMessage.Type.APPROVED, "go");
                boolean[] halted = {false};
                BatchEvent dry = watcher.awaitCompleted(batchId, Phase.DRY_RUN, Duration.ofMinutes(5), v -> {
                    if (!halted[0]) {
                        halted[0] = true;
                        control(rig, batchId, ControlMessage.Type.HALTED, "operator saw something odd");
                    }
                });
                assertThat(dry.counts().get("skipped")).isPositive();
                Map<String, JsonNode> r = results(dry.bundle());
                assertThat(r.values()).filteredOn(n -> n.path("status").asText().equals("skipped"))
                        .allSatisfy(n -> assertThat(n.path("message").asText())
                                .isEqualTo("batch halted: operator saw something odd"));
                assertThat(watcher.halt()).isPresent();
            }
            // an approval was given before the halt: the apply must still never be released
            Thread.sleep(2000);
            BatchLedger.Entry e = BatchLedger.read(rig.pipeline.kafka()).get(batchId);
            assertThat(e.applyAccepted).isNull();
            assertThat(e.stage(true)).isEqualTo("halted");
            assertThat(Sqlite.query(rig.db, "SELECT count(*) FROM users")).containsExactly("0");
        }
    }
}
