package io.verops.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.Phase;
import io.verops.core.Topics;
import io.verops.core.messages.ItemMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The consume loop on the in-process broker: a slow record does not hold up the others (a worker that is free
 * takes the next record at once), and the committed offset never passes a record that is not handled, so a
 * stop redelivers it.
 */
class StageLoopTest {
    static EmbeddedKafka broker;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "stageloop-");
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 1);
    }

    /** Topics of their own for each test, one partition each. */
    private static KafkaSettings topics(String prefix) {
        KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Map.of(), new Topics(prefix), 1);
        TopicSetup.ensureTopics(kafka);
        return kafka;
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void publish(KafkaSettings kafka, String batch, int n) {
        try (Publisher p = new Publisher(kafka, "test")) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = i == 0 ? "slow" : "fast-" + i;
                sent.add(p.send(kafka.topics().items(), batch, new ItemMessage(batch, "op", id, i + 1, Phase.DRY_RUN,
                        Map.of("email", id), Instant.now())));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSlowRecordDoesNotHoldUpTheOthersAndIsNeverCommittedPastUntilHandled() throws Exception {
        KafkaSettings kafka = topics("slow.");
        publish(kafka, "b1", 20);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        String group = "g-slow";
        try (Publisher dead = new Publisher(kafka, "dl");
             StageLoop loop = new StageLoop("test", kafka, group, List.of(kafka.topics().items()), r -> {
                 String id = r.json().path("item_id").asText();
                 if (id.equals("slow")) {
                     release.await();
                 }
                 handled.add(id);
             }, 2, dead, false).start()) {
            awaitTrue(() -> handled.size() == 19, "the 19 other records are handled while the first one runs");
            assertThat(handled).doesNotContain("slow");
            assertThat(committed(kafka, group)).as("nothing is committed past the record still running").isEqualTo(0L);

            release.countDown();
            awaitTrue(() -> handled.contains("slow"), "the slow record finishes");
            awaitTrue(() -> Long.valueOf(20).equals(committed(kafka, group)), "everything is committed once handled");
        }
    }

    @Test
    void aRecordCutShortByAStopIsRedeliveredToTheNextLoop() throws Exception {
        KafkaSettings kafka = topics("stop.");
        publish(kafka, "b2", 3);
        String group = "g-stop";
        CountDownLatch started = new CountDownLatch(1);
        Set<String> first = ConcurrentHashMap.newKeySet();
        try (Publisher dead = new Publisher(kafka, "dl");
             StageLoop loop = new StageLoop("test", kafka, group, List.of(kafka.topics().items()), r -> {
                 String id = r.json().path("item_id").asText();
                 if (id.equals("slow")) {
                     started.countDown();
                     Thread.sleep(Long.MAX_VALUE); // interrupted by close()
                 }
                 first.add(id);
             }, 4, dead, false).start()) {
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            awaitTrue(() -> first.size() == 2, "the other two are handled");
        }
        assertThat(committed(kafka, group)).as("the stop commits nothing past the interrupted record").isEqualTo(0L);

        Set<String> second = ConcurrentHashMap.newKeySet();
        try (Publisher dead = new Publisher(kafka, "dl");
             StageLoop loop = new StageLoop("test", kafka, group, List.of(kafka.topics().items()),
                     r -> second.add(r.json().path("batch_id").asText() + "/" + r.json().path("item_id").asText()),
                     4, dead, false).start()) {
            awaitTrue(() -> second.contains("b2/slow"), "the interrupted record comes again");
        }
    }

    @Test
    void aGracefulStopLetsTheRunningRecordFinishAndCommitsItButStartsNothingNew() throws Exception {
        KafkaSettings kafka = topics("grace.");
        publish(kafka, "b3", 4);
        String group = "g-grace";
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> completed = ConcurrentHashMap.newKeySet();
        Publisher dead = new Publisher(kafka, "dl");
        StageLoop loop = new StageLoop("test", kafka, group, List.of(kafka.topics().items()), r -> {
            String id = r.json().path("item_id").asText();
            if (id.equals("slow")) {
                started.countDown();
                release.await();
            } else {
                new CountDownLatch(1).await(); // a record started after the stop began would block until interrupted
            }
            completed.add(id);
        }, 1, dead, false).start();
        try {
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            Thread closer = new Thread(() -> loop.close(Duration.ofSeconds(10)));
            closer.start();
            release.countDown();
            closer.join(120_000);
        } finally {
            dead.close();
        }
        assertThat(completed).containsExactly("slow");
        assertThat(committed(kafka, group)).as("the finished record is committed, nothing after it").isEqualTo(1L);

        Set<String> second = ConcurrentHashMap.newKeySet();
        try (Publisher dl = new Publisher(kafka, "dl");
             StageLoop next = new StageLoop("test", kafka, group, List.of(kafka.topics().items()),
                     r -> second.add(r.json().path("item_id").asText()), 4, dl, false).start()) {
            awaitTrue(() -> second.size() == 3, "the three records not handled come to the next loop");
        }
        assertThat(second).containsExactlyInAnyOrder("fast-1", "fast-2", "fast-3");
    }

    private static Long committed(KafkaSettings kafka, String group) {
        Properties p = kafka.baseProperties();
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(kafka.topics().items(), 0));
            return o == null ? null : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}
