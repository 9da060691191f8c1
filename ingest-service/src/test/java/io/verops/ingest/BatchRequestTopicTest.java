package io.verops.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.RecordRefusedException;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch requests on the batches topic, through the stage loop the ingest service runs, on a real broker: each good
 * request publishes its accepted event and its items, normalised; each bad one is dead-lettered with a reason that
 * names what is wrong, publishes nothing, and the loop goes on with the next request.
 */
class BatchRequestTopicTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static EmbeddedKafka kafka;
    static KafkaSettings settings;
    static Publisher publisher;
    static AcceptedBatchIds accepted;
    static StageLoop loop;
    static KafkaProducer<String, String> upstream;
    static Path requests;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), 2);
        settings = KafkaSettings.local(kafka.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        publisher = new Publisher(settings, "ingest-test");
        IngestStage stage = new IngestStage(TestOperations.catalog(), publisher, TestOperations.CLOCK);
        requests = Files.createDirectories(dir.resolve("requests"));
        Files.writeString(requests.resolve("team.jsonl"), """
                {"id": "F1", "email": "f1@Example.COM", "role": "viewer", "count": "12"}
                {"id": "f2", "email": "f2@example.com", "role": "EDITOR"}
                """);
        Files.writeString(dir.resolve("outside.csv"), "id,email,role\nx1,x1@example.com,admin\n");
        Files.createSymbolicLink(requests.resolve("link.csv"), dir.resolve("outside.csv"));
        accepted = new AcceptedBatchIds(settings);
        BatchRequestHandler handler = new BatchRequestHandler(stage, accepted,
                RequestFiles.under(requests, RequestFiles.DEFAULT_MAX_BYTES), TestOperations.CLOCK);
        loop = new StageLoop("ingest", settings, "verops-ingest", List.of(settings.topics().batches()),
                handler::handle, 1, publisher, false).start();
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        upstream = new KafkaProducer<>(p);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {loop, upstream, accepted, publisher, kafka}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what is left
            }
        }
    }

    private static void submit(String key, String request) throws Exception {
        upstream.send(new ProducerRecord<>(settings.topics().batches(), key, request)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void inlineRowsArePublishedNormalisedWithTheirNumbersAsWritten() throws Exception {
        submit("b-rows-1", """
                {"operation": "every-type", "batch_id": "b-rows-1", "rows": [
                  {"id": " ACME-1 ", "email": "bob@Example.COM", "role": "ADMIN", "team": 1000.10, "count": 7},
                  {"id": "acme-2", "email": "carol@example.com", "role": "viewer", "price": "$1,500.00"},
                  {"id": "acme-3", "email": "no-at-sign", "role": "viewer"}
                ]}""");
        JsonNode event = awaitAccepted("b-rows-1");
        assertThat(event.path("input").path("name").asText()).isEqualTo("rows");
        assertThat(event.path("input").path("format").asText()).isEqualTo("json");
        assertThat(event.path("total_items").asInt()).isEqualTo(3);
        assertThat(event.path("not_executed").get(0).path("message").asText()).contains("email invalid");

        List<JsonNode> items = awaitItems("b-rows-1", 2);
        JsonNode first = items.stream().filter(i -> i.path("row").asInt() == 1).findFirst().orElseThrow();
        assertThat(first.path("item_id").asText()).isEqualTo("acme-1");
        assertThat(first.path("phase").asText()).isEqualTo("dry_run");
        assertThat(Json.convert(first.path("fields"), Map.class)).containsEntry("email", "bob@example.com")
                .containsEntry("role", "admin").containsEntry("team", "1000.10").containsEntry("count", "7");
        JsonNode second = items.stream().filter(i -> i.path("row").asInt() == 2).findFirst().orElseThrow();
        assertThat(second.path("fields").path("price").asText()).isEqualTo("1500.00 USD");
    }

    @Test
    void contentInItsFormatIsPublished() throws Exception {
        submit("b-content-1", """
                {"operation": "every-type", "batch_id": "b-content-1", "format": "csv",
                 "content": "id,email,role,starts\\nc1,c1@example.com,editor,1 Jun 2026\\n"}""");
        JsonNode event = awaitAccepted("b-content-1");
        assertThat(event.path("input").path("name").asText()).isEqualTo("content");
        assertThat(event.path("input").path("format").asText()).isEqualTo("csv");
        assertThat(awaitItems("b-content-1", 1).get(0).path("fields").path("starts").asText()).isEqualTo("2026-06-01");
    }

    @Test
    void aFileInTheRequestFolderIsReadInTheFormatOfItsExtension() throws Exception {
        submit("b-file-1", "{\"operation\": \"every-type\", \"batch_id\": \"b-file-1\", \"file\": \"team.jsonl\"}");
        JsonNode event = awaitAccepted("b-file-1");
        assertThat(event.path("input").path("name").asText()).isEqualTo("team.jsonl");
        assertThat(event.path("input").path("format").asText()).isEqualTo("jsonl");
        List<JsonNode> items = awaitItems("b-file-1", 2);
        assertThat(items).extracting(i -> i.path("item_id").asText()).containsExactlyInAnyOrder("f1", "f2");
        assertThat(items).extracting(i -> i.path("fields").path("role").asText()).containsExactlyInAnyOrder("viewer", "editor");
    }

    @Test
    void badRequestsAreDeadLetteredWithTheReasonAndTheNextGoodOneIsPublished() throws Exception {
        submit("not-json", "{\"operation\": \"every-type\", \"rows\": [");
        submit("no-rows", "{\"operation\": \"every-type\", \"batch_id\": \"b-bad-1\"}");
        submit("two-sources", "{\"operation\": \"every-type\", \"batch_id\": \"b-bad-2\", \"rows\": [{\"id\": \"a\"}], "
                + "\"content\": \"id\\na\\n\"}");
        submit("unknown-operation", "{\"operation\": \"no-such-thing\", \"batch_id\": \"b-bad-3\", \"rows\": [{\"id\": \"a\"}]}");
        submit("unknown-column", "{\"operation\": \"every-type\", \"batch_id\": \"b-bad-4\", \"rows\": ["
                + "{\"id\": \"a\", \"email\": \"a@example.com\", \"role\": \"admin\"},"
                + "{\"id\": \"b\", \"email\": \"b@example.com\", \"role\": \"admin\", \"colour\": \"red\"}]}");
        submit("nested-value", "{\"operation\": \"every-type\", \"batch_id\": \"b-bad-5\", \"rows\": ["
                + "{\"id\": \"a\", \"email\": {\"at\": \"a@example.com\"}, \"role\": \"admin\"}]}");
        submit("bad-batch-id", "{\"operation\": \"every-type\", \"batch_id\": \".hidden\", \"rows\": [{\"id\": \"a\"}]}");
        submit("bad-content", "{\"operation\": \"every-type\", \"batch_id\": \"b-bad-6\", \"format\": \"csv\", "
                + "\"content\": \"id,email,role\\n\\\"a,a@example.com,admin\\n\"}");
        submit("b-after-bad", "{\"operation\": \"every-type\", \"batch_id\": \"b-after-bad\", \"rows\": ["
                + "{\"id\": \"ok\", \"email\": \"ok@example.com\", \"role\": \"admin\"}]}");

        awaitAccepted("b-after-bad");
        Map<String, String> reasons = awaitDeadLetters(List.of("not-json", "no-rows", "two-sources", "unknown-operation",
                "unknown-column", "nested-value", "bad-batch-id", "bad-content"));
        assertThat(reasons.get("not-json")).startsWith("not JSON: line 1, column ").doesNotContain("Source");
        assertThat(reasons.get("no-rows")).isEqualTo("does not match schema of verops.batches: /: give exactly one of "
                + "'rows', 'content' with 'format', or 'file' (it gives none of them)");
        assertThat(reasons.get("two-sources")).isEqualTo("batch refused, nothing of it was published: give exactly one "
                + "of 'rows', 'content' with 'format', or 'file' (it gives 'rows' and 'content')");
        assertThat(reasons.get("unknown-operation")).isEqualTo("unknown operation 'no-such-thing' (known: every-type, with-secret)");
        assertThat(reasons.get("unknown-column")).isEqualTo("batch refused, nothing of it was published: rows: row 2: "
                + "unknown column 'colour' for operation 'every-type' (its fields: id, email, role, team, starts, at, "
                + "count, price)");
        assertThat(reasons.get("nested-value")).startsWith("batch refused, nothing of it was published: rows: row 1 ")
                .contains("'email'");
        assertThat(reasons.get("bad-batch-id")).isEqualTo("batch_id '.hidden' is not valid: use 1 to 64 letters, "
                + "digits, '.', '_' or '-', not starting with '.'");
        assertThat(reasons.get("bad-content")).startsWith("batch refused, nothing of it was published: content: line 2");
        assertThat(reasons.values()).noneMatch(r -> r.contains("Exception") || r.contains("io.verops"));

        assertThat(accepted()).noneMatch(e -> e.path("batch_id").asText().startsWith("b-bad-"));
        assertThat(items()).noneMatch(i -> i.path("batch_id").asText().startsWith("b-bad-"));
    }

    @Test
    void filesOutsideTheRequestFolderAreRefused() throws Exception {
        submit("escape", "{\"operation\": \"every-type\", \"batch_id\": \"b-out-1\", \"file\": \"../outside.csv\"}");
        submit("absolute", "{\"operation\": \"every-type\", \"batch_id\": \"b-out-2\", \"file\": "
                + Json.write(dir.resolve("outside.csv").toAbsolutePath().toString()) + "}");
        submit("symlink", "{\"operation\": \"every-type\", \"batch_id\": \"b-out-3\", \"file\": \"link.csv\"}");
        submit("missing", "{\"operation\": \"every-type\", \"batch_id\": \"b-out-4\", \"file\": \"nowhere.csv\"}");
        submit("no-format", "{\"operation\": \"every-type\", \"batch_id\": \"b-out-5\", \"file\": \"team.txt\"}");
        submit("folder", "{\"operation\": \"every-type\", \"batch_id\": \"b-out-6\", \"file\": \".\"}");
        Map<String, String> reasons = awaitDeadLetters(List.of("escape", "absolute", "symlink", "missing", "no-format",
                "folder"));
        String refused = "batch refused, nothing of it was published: ";
        assertThat(reasons.get("escape")).isEqualTo(refused + "file '../outside.csv': the path leads outside the "
                + "request files folder; name a file inside it, relative to it");
        assertThat(reasons.get("absolute")).endsWith("': the path leads outside the request files folder; name a file "
                + "inside it, relative to it");
        assertThat(reasons.get("symlink")).isEqualTo(refused + "file 'link.csv': a symbolic link that resolves outside "
                + "the request files folder; copy the file into the folder instead");
        assertThat(reasons.get("missing")).isEqualTo(refused + "file 'nowhere.csv': no such file in the request files "
                + "folder");
        assertThat(reasons.get("no-format")).startsWith(refused + "cannot tell the format of the batch 'team.txt'");
        assertThat(reasons.get("folder")).isEqualTo(refused + "file '.': names the request files folder itself; name a "
                + "file inside it");
        assertThat(accepted()).noneMatch(e -> e.path("batch_id").asText().startsWith("b-out-"));
    }

    @Test
    void aBatchIdAlreadyAcceptedIsADuplicateAndIsNotPublishedAgain() throws Exception {
        String request = "{\"operation\": \"every-type\", \"batch_id\": \"b-twice\", \"rows\": ["
                + "{\"id\": \"t1\", \"email\": \"t1@example.com\", \"role\": \"admin\"}]}";
        submit("b-twice", request);
        awaitAccepted("b-twice");
        submit("b-twice", request);
        Map<String, String> reasons = awaitDeadLetters(List.of("b-twice"));
        assertThat(reasons.get("b-twice")).isEqualTo("batch id 'b-twice' already accepted: this request is not "
                + "published again (a retry of an earlier request?); give a new batch_id for a new batch");
        assertThat(accepted()).filteredOn(e -> e.path("batch_id").asText().equals("b-twice")).hasSize(1);
        assertThat(items()).filteredOn(i -> i.path("batch_id").asText().equals("b-twice")).hasSize(1);
    }

    @Test
    void aBatchIdAcceptedBeforeTheHandlerStartedIsKnownToIt() throws Exception {
        IngestStage stage = new IngestStage(TestOperations.catalog(), publisher, TestOperations.CLOCK);
        stage.submit("every-type", "b-earlier", io.verops.core.Phase.DRY_RUN,
                TestOperations.csv("earlier.csv", "id,email,role\ne1,e1@example.com,admin\n"));
        try (AcceptedBatchIds fresh = new AcceptedBatchIds(settings)) {
            BatchRequestHandler handler = new BatchRequestHandler(stage, fresh, RequestFiles.none(), TestOperations.CLOCK);
            assertThatThrownBy(() -> handler.handle(request("{\"operation\": \"every-type\", \"batch_id\": "
                    + "\"b-earlier\", \"rows\": [{\"id\": \"e1\"}]}")))
                    .isInstanceOf(RecordRefusedException.class)
                    .hasMessageStartingWith("batch id 'b-earlier' already accepted");
        }
    }

    @Test
    void withoutARequestFolderNoFileIsRead() throws Exception {
        IngestStage stage = new IngestStage(TestOperations.catalog(), publisher, TestOperations.CLOCK);
        BatchRequestHandler handler = new BatchRequestHandler(stage, accepted, RequestFiles.none(), TestOperations.CLOCK);
        assertThatThrownBy(() -> handler.handle(request("{\"operation\": \"every-type\", \"file\": \"team.jsonl\"}")))
                .isInstanceOf(RecordRefusedException.class)
                .hasMessage("batch refused, nothing of it was published: file 'team.jsonl': this ingest service reads "
                        + "no batch files (its verops.ingest.request-files-dir is not set); send the rows in the "
                        + "request instead, as 'rows' or as 'content' with 'format'");
    }

    @Test
    void rowsAreTakenAsWrittenAndAKeyGivenTwiceIsRefused() {
        assertThat(BatchRequestHandler.rowsAsWritten("{\"operation\":\"x\",\"rows\":[{\"n\":1000.10,\"e\":1e3}] }"))
                .isEqualTo("[{\"n\":1000.10,\"e\":1e3}]");
        assertThatThrownBy(() -> BatchRequestHandler.rowsAsWritten("{\"rows\":[],\"operation\":\"x\",\"rows\":[{}]}"))
                .isInstanceOf(BatchRefusedException.class)
                .hasMessage("the request gives the key 'rows' more than once; give each key once");
    }

    private static IncomingRecord request(String json) {
        return new IncomingRecord(settings.topics().batches(), 0, 0, null, Json.parse(json), Map.of(), json);
    }

    private static JsonNode awaitAccepted(String batchId) {
        return await().atMost(WAIT).until(() -> accepted().stream()
                        .filter(e -> e.path("batch_id").asText().equals(batchId)).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    private static List<JsonNode> awaitItems(String batchId, int count) {
        return await().atMost(WAIT).until(() -> items().stream()
                .filter(i -> i.path("batch_id").asText().equals(batchId)).toList(), l -> l.size() >= count);
    }

    /** The reason of the last dead letter of each key, once every key has one. */
    private static Map<String, String> awaitDeadLetters(List<String> keys) {
        return await().atMost(WAIT).until(() -> {
            Map<String, String> reasons = new java.util.HashMap<>();
            for (JsonNode d : values(settings.topics().deadLetter())) {
                reasons.put(d.path("key").asText(), d.path("reason").asText());
            }
            return reasons;
        }, r -> r.keySet().containsAll(keys));
    }

    private static List<JsonNode> accepted() {
        return values(settings.topics().batchEvents()).stream()
                .filter(e -> e.path("type").asText().equals("accepted")).toList();
    }

    private static List<JsonNode> items() {
        return values(settings.topics().items());
    }

    /** Every value of a topic, up to its end offsets as they are now. */
    private static List<JsonNode> values(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka.bootstrapServers());
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<JsonNode> out = new ArrayList<>();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(Json.parse(r.value()));
                }
            }
            return out;
        }
    }
}
