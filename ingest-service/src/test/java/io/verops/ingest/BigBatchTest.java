package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.Topics;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.BatchEvent;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.schema.MessageSchemas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose accepted event is far beyond Kafka's default 1 MiB message: 20,000 rows of quota-change (its cap
 * lifted in a copy of its definition) are published and read back whole, by a consumer whose fetch limits are
 * smaller than the event; and a batch whose event would not fit the limit is refused before anything is published.
 */
class BigBatchTest {
    private static final int ROWS = 20_000;

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings settings;
    static Publisher publisher;
    static OperationCatalog catalog;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 2);
        settings = KafkaSettings.local(kafka.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        publisher = new Publisher(settings, "ingest-test");
        catalog = OperationCatalog.load(quotaChangeWithCap(ROWS));
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

    /** A copy of the real quota-change operation whose batch cap is {@code cap}. */
    private static Path quotaChangeWithCap(int cap) throws Exception {
        Path source = Path.of(System.getProperty("verops.root", "..")).resolve("operations/quota-change");
        Path copy = Files.createDirectories(dir.resolve("operations/quota-change"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        ObjectNode definition = (ObjectNode) Json.parse(Files.readString(copy.resolve("operation.json")));
        ((ObjectNode) definition.get("limits")).put("batch_cap", cap);
        Files.writeString(copy.resolve("operation.json"), Json.pretty(definition));
        return copy.getParent();
    }

    private static BatchInput quotas(String name, int rows) {
        StringBuilder csv = new StringBuilder("account,quota,effective_date\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("Acct-").append(i).append(",\"$").append(1 + i % 9).append(',').append(100 + i % 900)
                    .append(".50\",").append(i % 2 == 0 ? "1 Jul 2026" : "2026-07-01").append('\n');
        }
        return new BatchInput(name, BatchFormat.CSV, csv.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void batchEventsTakesMessagesOf64MiB() throws Exception {
        assertThat(maxMessageBytes(settings.topics().batchEvents())).isEqualTo(TopicSetup.BATCH_EVENTS_MAX_MESSAGE_BYTES);
    }

    @Test
    void aBatchOf20000RowsIsPublishedAndReadBackWhole() throws Exception {
        long itemsBefore = records(settings.topics().items());
        IngestStage ingest = new IngestStage(catalog, publisher, TestOperations.CLOCK);
        BatchPlan plan = ingest.submit("quota-change", "b-big-1", Phase.DRY_RUN, quotas("big.csv", ROWS));
        assertThat(plan.items()).hasSize(ROWS);
        int eventBytes = Json.write(plan.accepted()).getBytes(StandardCharsets.UTF_8).length;
        assertThat(eventBytes).as("the accepted event is larger than Kafka's default limit").isGreaterThan(4 << 20);

        // fetch limits of 1 MiB, far below the event: Kafka still returns a record batch larger than them
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("fetch.max.bytes", Integer.toString(1 << 20));
        p.put("max.partition.fetch.bytes", Integer.toString(1 << 20));
        List<ConsumerRecord<String, String>> events = readAll(p, settings.topics().batchEvents()).stream()
                .filter(r -> "b-big-1".equals(r.key())).toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).serializedValueSize()).isEqualTo(eventBytes);
        assertThat(MessageSchemas.validate(settings.topics(), settings.topics().batchEvents(),
                Json.parse(events.get(0).value()))).isEmpty();
        BatchEvent read = Json.read(events.get(0).value(), BatchEvent.class);
        assertThat(read.items()).hasSize(ROWS);
        assertThat(read.items().get(ROWS - 1).fields()).containsEntry("account", "acct-20000")
                .containsEntry("quota", "3300.50 USD").containsEntry("effective_date", "2026-07-01");
        assertThat(read).isEqualTo(plan.accepted());
        assertThat(records(settings.topics().items()) - itemsBefore).isEqualTo(ROWS);
    }

    @Test
    void aBatchWhoseAcceptedEventWouldNotFitIsRefusedAndPublishesNothing() throws Exception {
        long eventsBefore = records(settings.topics().batchEvents());
        long itemsBefore = records(settings.topics().items());
        IngestStage ingest = new IngestStage(catalog, publisher, TestOperations.CLOCK, 100_000);
        BatchRefusedException refused = catchThrowableOfType(BatchRefusedException.class,
                () -> ingest.submit("quota-change", "b-too-big", Phase.DRY_RUN, quotas("too-big.csv", 2_000)));
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).matches("too-big\\.csv: 2,000 rows make an accepted event of [0-9,]+ bytes, "
                + "over the limit of 100,000 bytes of one batch-events message; split the batch \\(about [0-9,]+ rows "
                + "of this batch fit in one\\)");
        assertThat(records(settings.topics().batchEvents())).isEqualTo(eventsBefore);
        assertThat(records(settings.topics().items())).isEqualTo(itemsBefore);

        BatchPlan small = ingest.submit("quota-change", "b-small-enough", Phase.DRY_RUN, quotas("small.csv", 100));
        assertThat(small.items()).hasSize(100);
        assertThat(records(settings.topics().batchEvents())).isEqualTo(eventsBefore + 1);
    }

    @Test
    void anExistingBatchEventsTopicWithKafkasDefaultLimitIsRaised() throws Exception {
        KafkaSettings older = new KafkaSettings(kafka.bootstrapServers(), Map.of(), new Topics("older."), 1);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createTopics(List.of(new NewTopic(older.topics().batchEvents(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // a topic just created may not be known to every part of the broker yet
        long before = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> maxMessageBytes(older.topics().batchEvents()), b -> b > 0);
        assertThat(before).isLessThan(2 << 20);
        TopicSetup.ensureTopics(older);
        assertThat(maxMessageBytes(older.topics().batchEvents())).isEqualTo(TopicSetup.BATCH_EVENTS_MAX_MESSAGE_BYTES);
    }

    private static long maxMessageBytes(String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            return Long.parseLong(admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r)
                    .get("max.message.bytes").value());
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

    private static List<ConsumerRecord<String, String>> readAll(Properties p, String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> out = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            return out;
        }
    }
}
