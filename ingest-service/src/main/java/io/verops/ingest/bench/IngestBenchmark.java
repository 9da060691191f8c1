package io.verops.ingest.bench;

import io.verops.core.Phase;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.operation.FieldSpec;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.ingest.BatchFormat;
import io.verops.ingest.BatchInput;
import io.verops.ingest.BatchPlan;
import io.verops.ingest.BatchPlanner;
import io.verops.ingest.IngestStage;
import io.verops.ingest.RawRow;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The ingest benchmark (a command, not a test): generates a batch of an operation's fields in the varied forms
 * normalisation must handle, then measures rows per second for
 * <ol>
 *   <li>parse + normalise alone ({@link BatchPlanner#read} then {@link BatchPlanner#plan}) of the whole batch in
 *       one plan, the batch cap lifted to its size;</li>
 *   <li>parse + normalise + publish of the same rows to an in-process Kafka broker through
 *       {@link IngestStage#submit}, as consecutive batches of {@code --kafka-batch-rows} rows (each one an accepted
 *       event and its items, acknowledged by the broker before the next).</li>
 * </ol>
 * Run it with {@code scripts/bench-ingest.sh}; {@code --help} lists the options.
 */
public final class IngestBenchmark {
    private static final String USAGE = """
            usage: bench-ingest.sh [options]
              --rows N              rows to generate (default 1000000)
              --operation NAME      the operation whose fields are generated (default quota-change)
              --operations DIR      the operations folder (default: $VEROPS_HOME/operations, else ./operations)
              --format F            csv, json or jsonl (default csv)
              --batch-cap N         the cap for the one-plan measurement (default: the row count)
              --rounds N            parse + normalise rounds; the first warms the JIT up (default 3)
              --kafka-batch-rows N  rows per batch published to Kafka (default 5000; its accepted event, which
                                    lists every item with its fields, is one batch-events message of at most 64 MiB)
              --partitions N        partitions of the broker's topics (default 4)
              --kafka-warmup-rows N rows published before the measurement, for connections, metadata and the
                                    JIT compiler (default 20000; the compiler is still busy after them, which
                                    the process CPU of the measurement includes)
              --producer KEY=VALUE  a Kafka producer property for the publisher, e.g. batch.size=262144 (repeatable;
                                    acks, idempotence, linger.ms and max.request.size stay the publisher's)
              --threads N           batches planned and published at once, as concurrent requests to the
                                    ingest service would be (default 1)
              --fsync-each-message  keep the local runner's broker setting that forces every append to disk
                                    (default: Kafka's default flushing, left to the OS; acks=all either way)
              --no-kafka            measure parse + normalise only
            """;

    private IngestBenchmark() {
    }

    /** The options, as given on the command line. */
    record Options(int rows, String operation, Path operations, BatchFormat format, int batchCap, int rounds,
                   int kafkaBatchRows, int partitions, boolean kafka, boolean fsyncEachMessage, int threads,
                   java.util.Map<String, String> producer, int kafkaWarmupRows) {
        static Options parse(String[] args) {
            int rows = 1_000_000;
            String operation = "quota-change";
            Path operations = null;
            BatchFormat format = BatchFormat.CSV;
            Integer cap = null;
            int rounds = 3;
            int kafkaBatchRows = 5000;
            int kafkaWarmupRows = 20_000;
            int partitions = 4;
            boolean kafka = true;
            boolean fsync = false;
            int threads = 1;
            java.util.Map<String, String> producer = new java.util.TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rows" -> rows = positive(a, value(args, ++i, a));
                    case "--operation" -> operation = value(args, ++i, a);
                    case "--operations" -> operations = Path.of(value(args, ++i, a));
                    case "--format" -> {
                        String f = value(args, ++i, a);
                        format = BatchFormat.fromName(f).orElseThrow(() -> new IllegalArgumentException(
                                "--format '" + f + "' is not one of csv, json, jsonl"));
                    }
                    case "--batch-cap" -> cap = positive(a, value(args, ++i, a));
                    case "--rounds" -> rounds = positive(a, value(args, ++i, a));
                    case "--kafka-batch-rows" -> kafkaBatchRows = positive(a, value(args, ++i, a));
                    case "--kafka-warmup-rows" -> kafkaWarmupRows = positive(a, value(args, ++i, a));
                    case "--partitions" -> partitions = positive(a, value(args, ++i, a));
                    case "--no-kafka" -> kafka = false;
                    case "--fsync-each-message" -> fsync = true;
                    case "--threads" -> threads = positive(a, value(args, ++i, a));
                    case "--producer" -> {
                        String kv = value(args, ++i, a);
                        int eq = kv.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--producer takes KEY=VALUE (found '" + kv + "')");
                        }
                        producer.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                }
            }
            if (operations == null) {
                String home = System.getProperty("verops.home", System.getenv("VEROPS_HOME"));
                operations = (home == null || home.isBlank() ? Path.of("") : Path.of(home)).resolve("operations");
            }
            return new Options(rows, operation, operations, format, cap == null ? rows : cap, rounds,
                    kafkaBatchRows, partitions, kafka, fsync, threads, java.util.Map.copyOf(producer), kafkaWarmupRows);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static int positive(String option, String v) {
            try {
                int n = Integer.parseInt(v.replace("_", "").replace(",", ""));
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number of at least 1 (found '" + v + "')");
            }
        }
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench-ingest: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        try {
            run(options, System.out);
        } catch (RuntimeException e) {
            System.err.println("bench-ingest: failed: " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(Options o, PrintStream out) {
        OperationCatalog catalog = OperationCatalog.load(o.operations());
        Operation op = catalog.require(o.operation());
        out.printf(Locale.ROOT, "verops ingest benchmark: operation %s, %,d rows of %s, %d cores, Java %s, heap %,d MB%n",
                op.name(), o.rows(), o.format().wire(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / (1024 * 1024));

        long t0 = System.nanoTime();
        byte[] batch = BatchGenerator.generate(op, o.format(), 1, o.rows());
        out.printf(Locale.ROOT, "generated %,d rows (%,.1f MB) in %.1f s%n", o.rows(), batch.length / 1e6, secs(t0));

        BatchPlanner planner = new BatchPlanner(Clock.systemUTC()).withBatchCap(o.batchCap());
        BatchInput input = new BatchInput("bench." + o.format().wire(), o.format(), batch);
        double best = 0;
        double bestCpu = 0;
        for (int round = 1; round <= o.rounds(); round++) {
            System.gc();
            long cpu0 = cpu();
            long process0 = processCpu();
            long start = System.nanoTime();
            List<RawRow> rows = BatchPlanner.read(input);
            long parsed = System.nanoTime();
            BatchPlan plan = planner.plan(op, "bench-" + round, Phase.DRY_RUN, input, rows);
            long end = System.nanoTime();
            double cpuSeconds = (cpu() - cpu0) / 1e9;
            double processSeconds = (processCpu() - process0) / 1e9;
            double rate = o.rows() / ((end - start) / 1e9);
            best = Math.max(best, rate);
            bestCpu = Math.max(bestCpu, o.rows() / cpuSeconds);
            out.printf(Locale.ROOT, "parse + normalise, round %d%s: %,d rows in %.2f s = %,.0f rows/s; %,.0f rows "
                            + "per CPU-second of this thread, %,.0f per CPU-second of the process (parse %.2f s, "
                            + "normalise %.2f s; %,d items, %,d not executed, %,d values changed)%n",
                    round, round == 1 && o.rounds() > 1 ? " (warm-up)" : "", o.rows(), (end - start) / 1e9, rate,
                    o.rows() / cpuSeconds, o.rows() / processSeconds, (parsed - start) / 1e9, (end - parsed) / 1e9,
                    plan.items().size(), plan.notExecuted().size(),
                    plan.items().stream().mapToLong(i -> i.normalization().size()).sum());
        }
        out.printf(Locale.ROOT, "RESULT parse + normalise: %,.0f rows/s wall clock, %,.0f rows per CPU-second "
                + "(best of %d rounds; target 200,000 rows/s)%n", best, bestCpu, o.rounds());
        out.printf(Locale.ROOT, "load average during the run: %.1f on %d cores (a loaded machine lowers the wall-clock "
                + "figures)%n", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        if (o.kafka()) {
            kafka(o, catalog, op, out);
        }
    }

    private static void kafka(Options o, OperationCatalog catalog, Operation op, PrintStream out) {
        int chunk = o.kafkaBatchRows();
        BatchPlanner planner = new BatchPlanner(Clock.systemUTC()).withBatchCap(chunk);
        List<BatchInput> batches = new ArrayList<>();
        for (int first = 1; first <= o.rows(); first += chunk) {
            int count = Math.min(chunk, o.rows() - first + 1);
            batches.add(new BatchInput("bench-" + first + "." + o.format().wire(), o.format(),
                    BatchGenerator.generate(op, o.format(), first, count)));
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("verops-bench-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long t0 = System.nanoTime();
        try (EmbeddedKafka broker = EmbeddedKafka.start(dir, o.partitions())) {
            KafkaSettings settings = new KafkaSettings(broker.bootstrapServers(), o.producer(),
                    io.verops.core.Topics.withDefaultPrefix(), o.partitions());
            TopicSetup.ensureTopics(settings);
            if (!o.fsyncEachMessage()) {
                flushLikeKafkaDoes(broker, List.of(settings.topics().items(), settings.topics().batchEvents()));
            }
            out.printf(Locale.ROOT, "in-process Kafka broker up in %.1f s: %d partitions per topic, %s; producer "
                            + "properties %s%n", secs(t0), o.partitions(),
                    o.fsyncEachMessage() ? "every append forced to disk (the local runner's setting)"
                            : "flushing left to the OS (Kafka's default)",
                    o.producer().isEmpty() ? "as the publisher sets them" : "as the publisher sets them, and " + o.producer());
            try (Publisher publisher = new Publisher(settings, "bench")) {
                IngestStage ingest = new IngestStage(catalog, publisher, Clock.systemUTC());
                // warm-up: the first batches pay for connections, metadata and the JIT
                int warm = Math.min(batches.size(), Math.max(1, o.kafkaWarmupRows() / chunk));
                for (int i = 0; i < warm; i++) {
                    ingest.publish(planner.plan(op, "warm-" + i, Phase.DRY_RUN, batches.get(i)));
                }
                System.gc();
                java.util.Map<Long, Long> threads0 = threadCpu();
                long process0 = processCpu();
                long start = System.nanoTime();
                java.util.concurrent.atomic.AtomicLong items = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicLong cpuNanos = new java.util.concurrent.atomic.AtomicLong();
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                List<Thread> workers = new ArrayList<>();
                List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
                for (int t = 0; t < o.threads(); t++) {
                    Thread w = new Thread(() -> {
                        long c0 = cpu();
                        try {
                            for (int i = next.getAndIncrement(); i < batches.size(); i = next.getAndIncrement()) {
                                BatchPlan plan = planner.plan(op, "bench-" + i, Phase.DRY_RUN, batches.get(i));
                                ingest.publish(plan);
                                items.addAndGet(plan.items().size());
                            }
                        } catch (RuntimeException e) {
                            failures.add(e);
                        } finally {
                            cpuNanos.addAndGet(cpu() - c0);
                        }
                    }, "bench-publisher-" + t);
                    workers.add(w);
                    w.start();
                }
                for (Thread w : workers) {
                    try {
                        w.join();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted", e);
                    }
                }
                if (!failures.isEmpty()) {
                    throw new IllegalStateException("publishing failed: " + failures.get(0).getMessage(), failures.get(0));
                }
                double s = (System.nanoTime() - start) / 1e9;
                double processSeconds = (processCpu() - process0) / 1e9;
                java.util.Map<String, Double> byPart = cpuByPart(threads0, cpuNanos.get() / 1e9, processSeconds);
                out.printf(Locale.ROOT, "parse + normalise + publish: %,d rows as %,d batches of %,d rows on %d "
                        + "thread%s after a warm-up of %,d rows, each batch planned then published by IngestStage.publish "
                        + "(its accepted event, then its items, all acknowledged by the broker): %,d items in %.2f s; "
                        + "%,.0f rows per CPU-second of the publishing thread%s%n", o.rows(), batches.size(), chunk,
                        o.threads(), o.threads() == 1 ? "" : "s", warm * chunk, items.get(), s,
                        o.rows() / (cpuNanos.get() / 1e9),
                        o.threads() == 1 ? "" : "s");
                out.printf(Locale.ROOT, "the whole process (publishers, producer, broker, GC) used %.2f CPU-seconds: "
                        + "%,.0f rows per CPU-second; by part: %s%n", processSeconds, o.rows() / processSeconds,
                        byPart.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f s", e.getKey(),
                                e.getValue())).collect(java.util.stream.Collectors.joining(", ")));
                out.printf(Locale.ROOT, "RESULT parse + normalise + publish to Kafka: %,.0f rows/s (target 100,000)%n",
                        o.rows() / s);
                out.printf(Locale.ROOT, "load average during the run: %.1f on %d cores%n",
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                        Runtime.getRuntime().availableProcessors());
            }
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Sets flush.messages back to Kafka's default on these topics (the embedded broker forces every append). */
    private static void flushLikeKafkaDoes(EmbeddedKafka broker, List<String> topics) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(broker.clientProperties())) {
            java.util.Map<org.apache.kafka.common.config.ConfigResource,
                    java.util.Collection<org.apache.kafka.clients.admin.AlterConfigOp>> changes = new java.util.HashMap<>();
            for (String t : topics) {
                changes.put(new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.TOPIC, t),
                        List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                new org.apache.kafka.clients.admin.ConfigEntry("flush.messages",
                                        Long.toString(Long.MAX_VALUE)),
                                org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET)));
            }
            admin.incrementalAlterConfigs(changes).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot set flush.messages on the benchmark topics: " + e.getMessage(), e);
        }
    }

    /** CPU nanoseconds of every live Java thread, by thread id. */
    private static java.util.Map<Long, Long> threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    /**
     * CPU-seconds since {@code before}, by part of the process: the publishing threads (measured by themselves: they
     * have ended), the producer's I/O thread, the broker's threads, and the rest (garbage collector, JIT compiler:
     * the process's time that no Java thread accounts for).
     */
    private static java.util.Map<String, Double> cpuByPart(java.util.Map<Long, Long> before, double publishers,
                                                           double processSeconds) {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> parts = new java.util.LinkedHashMap<>();
        parts.put("publishers", publishers);
        parts.put("producer I/O", 0.0);
        parts.put("broker", 0.0);
        double threads = publishers;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (t < 0) {
                continue;
            }
            double s = (t - before.getOrDefault(info.getThreadId(), 0L)) / 1e9;
            String name = info.getThreadName();
            String part = name.startsWith("bench-publisher") ? "publishers"
                    : name.startsWith("kafka-producer-network-thread") ? "producer I/O"
                    : name.equals("main") ? "main" : "broker";
            parts.merge(part, s, Double::sum);
            threads += s;
        }
        parts.put("GC, JIT and ended threads", Math.max(0, processSeconds - threads));
        return parts;
    }

    /** CPU time of the whole process (every thread: broker, producer, GC too), or -1 when the JVM cannot say. */
    private static long processCpu() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder; the OS cleans it eventually
        }
    }

    /** Rows of an operation's fields, each value in one of the forms its type accepts, identities unique. */
    static final class BatchGenerator {
        private static final String[] DATES = {"2026-07-01", "1 Jul 2026", "2026/07/01", "July 1, 2026"};
        private static final String[] DATETIMES = {"2026-06-01T10:00:00Z", "2026-06-01T12:00:00+02:00",
                "2026-06-01 10:00Z"};
        private static final String[] AMOUNTS = {"$1,234.50", "1234.5 EUR", "JPY 1200", "£80", "12.00 USD"};
        private static final String[] BARE_AMOUNTS = {"1,234.50", "99", "0.5"};

        private BatchGenerator() {
        }

        static byte[] generate(Operation op, BatchFormat format, int firstRow, int count) {
            List<FieldSpec> fields = op.fields();
            StringBuilder sb = new StringBuilder(count * 64);
            if (format == BatchFormat.CSV) {
                for (int f = 0; f < fields.size(); f++) {
                    sb.append(f == 0 ? "" : ",").append(fields.get(f).name());
                }
                sb.append('\n');
            } else if (format == BatchFormat.JSON) {
                sb.append("[\n");
            }
            for (int i = firstRow; i < firstRow + count; i++) {
                if (format == BatchFormat.CSV) {
                    for (int f = 0; f < fields.size(); f++) {
                        String v = value(op, fields.get(f), i);
                        if (f > 0) {
                            sb.append(',');
                        }
                        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) {
                            sb.append('"').append(v.replace("\"", "\"\"")).append('"');
                        } else {
                            sb.append(v);
                        }
                    }
                    sb.append('\n');
                } else {
                    sb.append('{');
                    for (int f = 0; f < fields.size(); f++) {
                        sb.append(f == 0 ? "\"" : ", \"").append(fields.get(f).name()).append("\": \"")
                                .append(value(op, fields.get(f), i).replace("\\", "\\\\").replace("\"", "\\\""))
                                .append('"');
                    }
                    sb.append('}');
                    if (format == BatchFormat.JSON && i < firstRow + count - 1) {
                        sb.append(',');
                    }
                    sb.append('\n');
                }
            }
            if (format == BatchFormat.JSON) {
                sb.append("]\n");
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        static String value(Operation op, FieldSpec f, int i) {
            return switch (f.type()) {
                case IDENTIFIER -> (i % 2 == 0 ? "Acct_" : "acct_") + i;
                case EMAIL -> "user" + i + (i % 2 == 0 ? "@Example.COM" : "@example.com");
                case ENUM -> {
                    String v = f.values().get(i % f.values().size());
                    yield i % 3 == 0 ? v.toUpperCase(Locale.ROOT) : v;
                }
                case STRING -> op.identity().contains(f.name()) ? "item " + i : "team " + (i % 100);
                case INTEGER -> op.identity().contains(f.name()) ? Integer.toString(i)
                        : Integer.toString(i % 1000 + (f.minimum() == null ? 0 : f.minimum().intValue()));
                case DATE -> DATES[i % DATES.length];
                case DATETIME -> DATETIMES[i % DATETIMES.length];
                case AMOUNT -> f.currency() != null ? BARE_AMOUNTS[i % BARE_AMOUNTS.length] : AMOUNTS[i % AMOUNTS.length];
            };
        }

    }
}
