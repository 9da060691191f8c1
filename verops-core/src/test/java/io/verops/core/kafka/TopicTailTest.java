package io.verops.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.Topics;
import io.verops.core.messages.ExecutionRecord;
import io.verops.core.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tail of some topics on the in-process broker: a catch-up returns only once every record committed before it
 * was called is applied, also for a caller holding the state's lock and for many callers at once.
 */
class TopicTailTest {
    static EmbeddedKafka broker;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "topictail-");
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 2);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static KafkaSettings topics(String prefix) {
        KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Map.of(), new Topics(prefix), 2);
        TopicSetup.ensureTopics(kafka);
        return kafka;
    }

    private static ExecutionRecord started(String item) {
        return new ExecutionRecord("b1", item, Phase.DRY_RUN, ExecutionRecord.State.STARTED, "executor-test",
                Instant.now(), null);
    }

    /** What the tail applied: record keys, guarded by the state object itself. */
    private static final class State {
        final Set<String> keys = new HashSet<>();
    }

    @Test
    void aCatchUpSeesEveryRecordPublishedBeforeItEvenWhenTheCallerHoldsTheLock() throws Exception {
        KafkaSettings kafka = topics("tail-lock.");
        State state = new State();
        try (Publisher p = new Publisher(kafka, "test");
             TopicTail tail = new TopicTail(kafka, "test", List.of(kafka.topics().executions()), state,
                     r -> state.keys.add(r.key()))) {
            for (int round = 0; round < 5; round++) {
                List<Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    String item = "r" + round + "-" + i;
                    sent.add(p.send(kafka.topics().executions(), item, started(item)));
                }
                Publisher.await(sent);
                synchronized (state) {
                    tail.catchUp();
                    for (int i = 0; i < 10; i++) {
                        assertThat(state.keys).contains("r" + round + "-" + i);
                    }
                }
            }
        }
    }

    @Test
    void callersCatchingUpTogetherEachSeeWhatTheyPublishedBefore() throws Exception {
        KafkaSettings kafka = topics("tail-many.");
        State state = new State();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Publisher p = new Publisher(kafka, "test");
             TopicTail tail = new TopicTail(kafka, "test", List.of(kafka.topics().executions(),
                     kafka.topics().control()), state, r -> state.keys.add(r.key()))) {
            List<Future<Boolean>> seen = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String item = "item-" + i;
                seen.add(pool.submit(() -> {
                    Publisher.await(List.of(p.send(kafka.topics().executions(), item, started(item))));
                    tail.catchUp();
                    synchronized (state) {
                        return state.keys.contains(item);
                    }
                }));
            }
            for (Future<Boolean> f : seen) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
