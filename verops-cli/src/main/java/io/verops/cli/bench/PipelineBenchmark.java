package io.verops.cli.bench;

import io.verops.cli.BatchWatcher;
import io.verops.cli.LocalPipeline;
import io.verops.cli.VeropsHome;
import io.verops.codexsim.CodexSim;
import io.verops.codexsim.SimConfig;
import io.verops.core.BatchIds;
import io.verops.core.Phase;
import io.verops.core.kafka.Publisher;
import io.verops.core.metrics.StepTimes;
import io.verops.core.messages.ControlMessage;
import io.verops.core.messages.ItemMessage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.executor.CodexCommand;
import io.verops.executor.ExecutorSettings;
import io.verops.executor.ModelEndpoint;
import io.verops.executor.Prompt;
import io.verops.executor.TargetSetup;
import io.verops.ingest.BatchFormat;
import io.verops.ingest.BatchInput;
import io.verops.ingest.BatchPlan;
import io.verops.ingest.BatchPlanner;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The executor benchmark: N items of user-provisioning through the whole one-JVM pipeline (dry run, approval,
 * apply: two codex runs per item) at concurrency C with codex-sim answering each model turn after a latency,
 * against two baselines on the same items and the same codex-sim: the seed's sequential loop of codex exec
 * (a sample, timed and scaled up) and a bare process pool running the same commands C at a time. A warm-up batch
 * (default 2×C items) goes through the same pipeline first, so that the measured batch sees what a long-running
 * service sees; its own figures are printed as the fresh JVM's.
 *
 * <p>Usage: {@code PipelineBenchmark [items=96] [latencyMs=2000] [concurrency=16] [sequentialSample=4] [warmup=2C]}
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 96;
        long latency = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        int c = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int sample = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 2 * c;
        Path home = VeropsHome.resolve();
        Path dir = Files.createDirectories(home.resolve("var/bench").resolve("run-" + System.currentTimeMillis()));
        OperationCatalog catalog = OperationCatalog.load(home.resolve("operations"));
        Operation op = catalog.require("user-provisioning");
        System.out.printf("executor benchmark: %d items, %d ms per model turn, concurrency %d (2 codex runs per item: dry run + apply)%n",
                n, latency, c);
        try (CodexSim sim = CodexSim.start(SimConfig.defaults().withLatency(Duration.ofMillis(latency)))) {
            ModelEndpoint endpoint = ModelEndpoint.codexSim(sim.baseUrl());

            // 1. verops
            Path db = dir.resolve("verops.db");
            ExecutorSettings settings = new ExecutorSettings(VeropsHome.codexBinary(home), home, dir.resolve("work"),
                    endpoint, c, Duration.ofSeconds(1), Map.of(op.name(), db), null);
            Run cold = null;
            Run warm;
            StepTimes.enable();
            try (LocalPipeline p = LocalPipeline.start(catalog, settings, dir.resolve("kafka"), dir.resolve("reports"),
                    Clock.systemUTC()); BatchWatcher w = new BatchWatcher(p.kafka())) {
                if (warmup > 0) {
                    cold = runBatch(p, w, op, "w", warmup);
                    StepTimes.enable();
                }
                warm = runBatch(p, w, op, "v", n);
            }
            Map<String, List<Long>> steps = StepTimes.snapshot();
            StepTimes.disable();

            // 2. bare pool: the same commands, C at a time, dry runs then applies
            Path poolDb = dir.resolve("pool.db");
            ExecutorSettings poolSettings = new ExecutorSettings(VeropsHome.codexBinary(home), home, dir.resolve("pool"),
                    endpoint, c, Duration.ofSeconds(1), Map.of(op.name(), poolDb), null);
            TargetSetup poolTarget = new TargetSetup(poolSettings);
            poolTarget.prepare(op);
            List<ItemMessage> poolItems = items(op, "p", n);
            long p0 = System.nanoTime();
            CpuUse poolCpu0 = CpuUse.now();
            ExecutorService pool = Executors.newFixedThreadPool(c);
            for (Phase phase : List.of(Phase.DRY_RUN, Phase.APPLY)) {
                List<Future<?>> fs = new ArrayList<>();
                for (ItemMessage it : poolItems) {
                    fs.add(pool.submit(() -> { runCodex(poolSettings, op, it, phase, poolDb); return null; }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            }
            pool.shutdown();
            long poolMs = (System.nanoTime() - p0) / 1_000_000;
            String poolCpu = CpuUse.now().since(poolCpu0, poolMs);

            // 3. the seed's sequential loop, on a sample, scaled to N
            Path seqDb = dir.resolve("seq.db");
            ExecutorSettings seqSettings = new ExecutorSettings(VeropsHome.codexBinary(home), home, dir.resolve("seq"),
                    endpoint, 1, Duration.ofSeconds(1), Map.of(op.name(), seqDb), null);
            new TargetSetup(seqSettings).prepare(op);
            List<ItemMessage> seqItems = items(op, "s", sample);
            long s0 = System.nanoTime();
            for (ItemMessage it : seqItems) {
                runCodex(seqSettings, op, it, Phase.DRY_RUN, seqDb);
                runCodex(seqSettings, op, it, Phase.APPLY, seqDb);
            }
            long seqSampleMs = (System.nanoTime() - s0) / 1_000_000;
            long seqMs = seqSampleMs * n / sample;

            long veropsMs = warm.wallMs();
            if (cold != null) {
                System.out.printf("warm-up batch, first in a fresh JVM (%d items, not part of the comparison): %.1f s, "
                        + "overhead per item-phase p50 %d ms, p99 %d ms (%d samples)%n", warmup, cold.wallMs() / 1000.0,
                        pct(cold.overheads(), 0.50), pct(cold.overheads(), 0.99), cold.overheads().size());
            }
            System.out.printf("verops pipeline:        %8.1f s  (%.2f items/s)%s%n", veropsMs / 1000.0,
                    n * 1000.0 / veropsMs, cold != null ? "  (after the warm-up batch, in the same JVM)" : "");
            System.out.printf("bare process pool (C=%d): %6.1f s%n", c, poolMs / 1000.0);
            System.out.printf("sequential loop:        %8.1f s  (timed on %d items: %.1f s, scaled to %d)%n", seqMs / 1000.0,
                    sample, seqSampleMs / 1000.0, n);
            System.out.printf("verops throughput vs bare pool: %.0f%%%n", 100.0 * poolMs / veropsMs);
            System.out.printf("verops speedup over the sequential loop: %.1fx%n", (double) seqMs / veropsMs);
            System.out.printf("verops overhead per item-phase outside codex: p50 %d ms, p99 %d ms (%d samples)%n",
                    pct(warm.overheads(), 0.50), pct(warm.overheads(), 0.99), warm.overheads().size());
            System.out.printf("CPU, verops run: %s%n", warm.cpu());
            System.out.printf("CPU, bare pool:  %s%n", poolCpu);
            System.out.printf("where verops' time goes, per item-phase step (ms). codex_process is codex's own time (the "
                    + "spawn is part of it); finished_record runs while the verifier works; result_delivery counts from "
                    + "the result's send, so it holds result_record's wait for the ack:%n");
            System.out.printf("  %-28s %7s %9s %9s %9s%n", "step", "samples", "p50", "p99", "max");
            steps.forEach((step, us) -> System.out.printf("  %-28s %7d %9.1f %9.1f %9.1f%n", step, us.size(),
                    StepTimes.quantile(us, 0.50) / 1000.0, StepTimes.quantile(us, 0.99) / 1000.0,
                    us.get(us.size() - 1) / 1000.0));
        }
    }

    /** One batch through the pipeline: its wall time, the overhead of each item-phase (sorted) and the CPU used. */
    private record Run(long wallMs, List<Long> overheads, String cpu) {
    }

    /** Runs one batch of n items (dry run, approval, apply) and waits until both phases have every verdict. */
    private static Run runBatch(LocalPipeline p, BatchWatcher w, Operation op, String prefix, int n) throws Exception {
        List<Long> overheads = Collections.synchronizedList(new ArrayList<>());
        String batchId = BatchIds.next(Clock.systemUTC());
        BatchPlan plan = new BatchPlanner(Clock.systemUTC()).plan(op, batchId, Phase.DRY_RUN, batch(prefix, n));
        long t0 = System.nanoTime();
        CpuUse cpu0 = CpuUse.now();
        p.ingest().publish(plan);
        Publisher.await(List.of(p.publisher().send(p.kafka().topics().control(), batchId, new ControlMessage(
                ControlMessage.Type.APPROVED, batchId, op.name(), Phase.APPLY, "benchmark", null, null, Instant.now()))));
        w.awaitCompleted(batchId, Phase.DRY_RUN, Duration.ofHours(1), (v, at) -> overheads.add(overhead(v, at)));
        w.awaitCompleted(batchId, Phase.APPLY, Duration.ofHours(1), (v, at) -> overheads.add(overhead(v, at)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String cpu = CpuUse.now().since(cpu0, ms);
        List<Long> sorted = new ArrayList<>(overheads);
        Collections.sort(sorted);
        return new Run(ms, sorted, cpu);
    }

    /**
     * Time in verops outside the codex process: from the executor taking the item to its verdict being published
     * (the verdict record's own timestamp, so that when this benchmark reads it does not count), less the time
     * codex ran.
     */
    private static long overhead(io.verops.core.messages.VerdictMessage v, Instant publishedAt) {
        if (v.startedAt() == null) {
            return 0;
        }
        long sinceStart = Duration.between(v.startedAt(), publishedAt).toMillis();
        return Math.max(0, sinceStart - v.codexMillis());
    }

    private static long pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private static BatchInput batch(String prefix, int n) {
        StringBuilder sb = new StringBuilder("email,role,team\n");
        for (int i = 0; i < n; i++) {
            sb.append(prefix).append(i).append("@bench.example.com,viewer,bench\n");
        }
        return new BatchInput("bench.csv", BatchFormat.CSV, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static List<ItemMessage> items(Operation op, String prefix, int n) {
        List<ItemMessage> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String email = prefix + i + "@bench.example.com";
            items.add(new ItemMessage("bench", op.name(), email, i + 1, Phase.DRY_RUN,
                    Map.of("email", email, "role", "viewer", "team", "bench"), Instant.now()));
        }
        return items;
    }

    private static void runCodex(ExecutorSettings s, Operation op, ItemMessage item, Phase phase, Path db) throws Exception {
        ItemMessage it = new ItemMessage(item.batchId(), item.operation(), item.itemId(), item.row(), phase, item.fields(),
                item.enqueuedAt());
        Path d = Files.createDirectories(s.workRoot().resolve(item.itemId() + "-" + phase.wire()));
        Path ws = Files.createDirectories(d.resolve("workspace"));
        Path home = Files.createDirectories(d.resolve("codex-home"));
        List<String> argv = new ArrayList<>(CodexCommand.argv(s.codexBinary(), op, phase, s.endpoint(), ws,
                d.resolve("last.txt"), List.of(db.getParent()), Prompt.build(op, it, db.toString())));
        argv.addAll(argv.size() - 2, io.verops.executor.hooks.Hooks.install(home, op, phase, d.resolve("hooks.jsonl")));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(d.resolve("events.jsonl").toFile()).redirectError(d.resolve("stderr.log").toFile());
        pb.environment().put("CODEX_HOME", home.toString());
        Process p = pb.start();
        p.waitFor();
    }
}
