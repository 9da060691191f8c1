package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.Topics;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.Phase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A crash while a bundle is written leaves no half bundle, and the archiver, restarted, rebuilds its state from
 * the topics and writes the bundle whole. The crash is real: the archiver runs in its own JVM on the in-process
 * broker and halts (no finally blocks run) when it starts writing audit.jsonl.
 */
class ArchiverCrashTest {
    static final int CRASH_CODE = 86;
    static Path work;
    static EmbeddedKafka broker;
    static KafkaSettings kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "crash-").toAbsolutePath();
        broker = EmbeddedKafka.start(work.resolve("kafka"), KafkaSettings.DEFAULT_PARTITIONS);
        kafka = new KafkaSettings(broker.bootstrapServers(), CrashingArchiver.FAST_SESSIONS, Topics.withDefaultPrefix(),
                KafkaSettings.DEFAULT_PARTITIONS);
        TopicSetup.ensureTopics(kafka);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aCrashWhileWritingLeavesNoHalfBundleAndTheRestartedArchiverWritesItWhole() throws Exception {
        SampleBatch batch = new SampleBatch("b-crash-1", Phase.APPLY);
        Path reports = work.resolve("reports");
        Path keys = work.resolve("keys");
        try (Publisher publisher = new Publisher(kafka, "test")) {
            Topics t = kafka.topics();
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            sent.add(publisher.send(t.batchEvents(), batch.batchId, batch.accepted));
            for (VerdictMessage v : batch.verdicts) {
                sent.add(publisher.send(t.verdicts(), batch.batchId, v));
            }
            for (AuditMessage a : batch.audit) {
                sent.add(publisher.send(t.audit(), batch.batchId, a));
            }
            Publisher.await(sent);
        }

        Path log = work.resolve("crashing-archiver.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-cp", testClassPath(), CrashingArchiver.class.getName(), broker.bootstrapServers(), reports.toString(),
                keys.toString(), "audit.jsonl", Integer.toString(CRASH_CODE))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(child.waitFor(180, TimeUnit.SECONDS)).as("the archiver process should have died").isTrue();
        assertThat(child.exitValue()).as(Files.readString(log)).isEqualTo(CRASH_CODE);
        assertThat(Files.readString(log)).contains("dying while writing audit.jsonl");

        Path parent = reports.resolve(SampleBatch.OPERATION);
        Path bundle = parent.resolve(batch.batchId);
        assertThat(bundle).as("no half bundle under the bundle's name").doesNotExist();
        List<Path> leftovers = children(parent);
        assertThat(leftovers).as("the crashed write's temporary folder").hasSize(1);
        assertThat(leftovers.get(0).getFileName().toString()).startsWith(".b-crash-1.tmp-");
        assertThat(leftovers.get(0).resolve("report.json")).exists();
        assertThat(leftovers.get(0).resolve("audit.jsonl")).doesNotExist();

        Publisher publisher = new Publisher(kafka, "archiver");
        ArchiverStage restarted = new ArchiverStage(reports, publisher, Clock.systemUTC(), SampleBatch.context(keys));
        try (restarted; StageLoop loop = restarted.loop(kafka, "verops-archiver").start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Files.exists(bundle.resolve(Manifest.FILE)) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            publisher.close();
        }

        assertThat(bundle.resolve(Manifest.FILE)).as("the restarted archiver wrote the bundle").exists();
        BundleVerifier.Result r = BundleVerifier.verify(bundle, null);
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(children(parent)).containsExactly(bundle);
        assertThat(Files.readString(bundle.resolve("audit.jsonl"), StandardCharsets.UTF_8).lines().count())
                .isEqualTo(1 + 3 * 4 + 2 + 1); // accepted, 3 items x (3 codex events + verdict), 2 not executed, archived
    }

    private static List<Path> children(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** The test class path (surefire hands the forked JVM a manifest-only jar; it names the real one here). */
    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp == null || cp.isBlank() ? System.getProperty("java.class.path") : cp;
    }
}
