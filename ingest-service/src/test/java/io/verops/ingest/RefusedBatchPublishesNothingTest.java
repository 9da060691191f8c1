package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.verops.core.Phase;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a real broker: a refused batch leaves the items and batch-events topics empty; an accepted one fills them. */
class RefusedBatchPublishesNothingTest {
    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings settings;
    static Publisher publisher;
    static IngestStage ingest;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 2);
        settings = KafkaSettings.local(kafka.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        publisher = new Publisher(settings, "ingest-test");
        ingest = new IngestStage(TestOperations.catalog(), publisher, TestOperations.CLOCK);
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

    /** Records in a topic: the sum of its partitions' end offsets (the log is only appended to). */
    private static long records(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(r -> r.offset()).sum();
        }
    }

    @Test
    void aRefusedBatchPublishesNothingAndAnAcceptedOnePublishesItsPlan() throws Exception {
        String items = settings.topics().items();
        String events = settings.topics().batchEvents();
        String good = "id,email,role\na1,a1@example.com,admin\na2,a2@example.com,viewer\na3,bad,viewer\n";
        for (BatchInput refused : List.of(
                TestOperations.csv("ragged.csv", "id,email,role\na1,a1@example.com,admin\na2,a2@example.com\n"),
                TestOperations.csv("unknown.csv", "id,email,role,colour\na1,a1@example.com,admin,red\n"),
                TestOperations.json("broken.json", "[{\"id\": \"a1\","),
                TestOperations.csv("big.csv", "id,email,role\n" + "u,u@example.com,admin\n".repeat(501)))) {
            assertThatThrownBy(() -> ingest.submit("every-type", "refused-1", Phase.DRY_RUN, refused))
                    .isInstanceOf(BatchRefusedException.class)
                    .hasMessageStartingWith(refused.name() + ": ");
        }
        assertThatThrownBy(() -> ingest.submit("no-such-operation", "refused-2", Phase.DRY_RUN, TestOperations.csv("x.csv", good)))
                .isInstanceOf(BatchRefusedException.class).hasMessageContaining("unknown operation 'no-such-operation'");
        assertThat(records(items)).isZero();
        assertThat(records(events)).isZero();

        BatchPlan plan = ingest.submit("every-type", "accepted-1", Phase.DRY_RUN, TestOperations.csv("good.csv", good));
        assertThat(plan.items()).hasSize(2);
        assertThat(records(items)).isEqualTo(2);
        assertThat(records(events)).isEqualTo(1);
    }
}
