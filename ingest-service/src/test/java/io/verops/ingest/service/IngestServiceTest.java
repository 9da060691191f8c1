package io.verops.ingest.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.verops.core.Json;
import io.verops.core.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestCredentials.class, restrictToAnnotatedClass = true)
class IngestServiceTest {
    private static final String USERS = """
            email,role,team
            alice@example.com,admin,platform
            bob@Example.COM,editor,"payments, EMEA"
            erin@example.com,viewer,
            """;

    @Test
    void aCsvBatchIsAcceptedAndItsItemsLandOnTheItemsTopic() {
        asOpsLead().contentType("text/csv; charset=utf-8").body(USERS)
                .queryParam("operation", "user-provisioning").queryParam("batch_id", "b-http-accepted")
                .when().post("/batches")
                .then().statusCode(202)
                .body("batch_id", equalTo("b-http-accepted"))
                .body("operation", equalTo("user-provisioning"))
                .body("phase", equalTo("dry_run"))
                .body("rows", equalTo(3))
                .body("items", equalTo(2))
                .body("not_executed", equalTo(1));

        List<JsonNode> items = readAll(Topics.withDefaultPrefix().items()).stream()
                .map(r -> Json.mapper().valueToTree(parse(r.value())))
                .map(JsonNode.class::cast)
                .filter(n -> n.path("batch_id").asText().equals("b-http-accepted"))
                .toList();
        assertThat(items).extracting(n -> n.path("item_id").asText())
                .containsExactlyInAnyOrder("alice@example.com", "bob@example.com");
        assertThat(items).extracting(n -> n.path("phase").asText()).containsOnly("dry_run");
    }

    @Test
    void eachItemOfABatchPostedOverHttpStartsATraceOfItsOwnCarriedInItsRecordHeaders() {
        asOpsLead().contentType("text/csv; charset=utf-8").body(USERS)
                .queryParam("operation", "user-provisioning").queryParam("batch_id", "b-http-traced")
                .when().post("/batches")
                .then().statusCode(202);

        List<String> traceparents = readAll(Topics.withDefaultPrefix().items()).stream()
                .filter(r -> r.value().contains("\"batch_id\":\"b-http-traced\""))
                .map(r -> r.headers().lastHeader("traceparent"))
                .map(h -> h == null ? "(none)" : new String(h.value(), StandardCharsets.UTF_8))
                .toList();
        assertThat(traceparents).hasSize(2).allMatch(t -> t.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), "W3C, sampled");
        assertThat(traceparents.stream().map(t -> t.substring(3, 35)).distinct()).as("one trace per item").hasSize(2);
    }

    @Test
    void aJsonLinesBatchIsAcceptedToo() {
        asOpsLead().contentType("application/x-ndjson")
                .body("{\"email\":\"carol@example.com\",\"role\":\"viewer\",\"team\":\"ops\"}\n"
                        .getBytes(StandardCharsets.UTF_8))
                .queryParam("operation", "user-provisioning")
                .when().post("/batches")
                .then().statusCode(202)
                .body("batch_id", startsWith("b-"))
                .body("items", equalTo(1));
    }

    @Test
    void aRefusedBatchIs422AndPublishesNothing() {
        long before = endOffsetSum(Topics.withDefaultPrefix().items());
        asOpsLead().contentType("text/csv").body("email,role,team,shoe_size\nalice@example.com,admin,platform,42\n")
                .queryParam("operation", "user-provisioning")
                .when().post("/batches")
                .then().statusCode(422)
                .contentType("application/json")
                .body("error", equalTo("batch refused"))
                .body("problems", hasItem(containsString("unknown column 'shoe_size'")));
        assertThat(endOffsetSum(Topics.withDefaultPrefix().items())).isEqualTo(before);
    }

    @Test
    void anUnsupportedContentTypeIs415WithAJsonError() {
        asOpsLead().contentType("text/plain").body(USERS).queryParam("operation", "user-provisioning")
                .when().post("/batches")
                .then().statusCode(415)
                .contentType("application/json")
                .body("error", startsWith("Content-Type 'text/plain"))
                .body("error", endsWith("is not a batch format: send text/csv, application/json or application/x-ndjson"));
    }

    @Test
    void anUnknownOperationIs404WithAJsonError() {
        asOpsLead().contentType("text/csv").body(USERS).queryParam("operation", "no-such-operation")
                .when().post("/batches")
                .then().statusCode(404)
                .contentType("application/json")
                .body("error", startsWith("unknown operation 'no-such-operation' (known: "))
                .body("error", containsString("user-provisioning"));
    }

    @Test
    void anInvalidBatchIdIs400() {
        asOpsLead().contentType("text/csv").body(USERS)
                .queryParam("operation", "user-provisioning").queryParam("batch_id", "../etc")
                .when().post("/batches")
                .then().statusCode(400)
                .body("error", startsWith("batch_id '../etc' is not valid"));
    }

    @Test
    void anApprovalIsPublishedOnTheControlTopicWithTheAuthenticatedKeyAsApprover() {
        asOpsLead().contentType("application/json").body("{\"decision\":\"approved\",\"reason\":\"dry run checked\"}")
                .when().post("/batches/b-http-approved/approval")
                .then().statusCode(202)
                .body("decision", equalTo("approved"))
                .body("actor", equalTo("api-key:ops-lead"));
        List<JsonNode> control = readAll(Topics.withDefaultPrefix().control()).stream()
                .map(r -> Json.mapper().valueToTree(parse(r.value())))
                .map(JsonNode.class::cast)
                .filter(n -> n.path("batch_id").asText().equals("b-http-approved"))
                .toList();
        assertThat(control).hasSize(1);
        assertThat(control.get(0).path("type").asText()).isEqualTo("approved");
        assertThat(control.get(0).path("reason").asText()).isEqualTo("dry run checked");
        assertThat(control.get(0).path("actor").asText()).isEqualTo("api-key:ops-lead");

        asOpsLead().contentType("application/json").body("{\"decision\":\"maybe\"}")
                .when().post("/batches/b-http-approved/approval")
                .then().statusCode(400).body("error", containsString("not one of approved, rejected"));
    }

    @Test
    void aBatchRequestOnTheBatchesTopicIsPublishedAndABadOneDeadLettered() throws Exception {
        Topics topics = Topics.withDefaultPrefix();
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaTestResource.bootstrapServers);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> upstream = new KafkaProducer<>(p)) {
            upstream.send(new ProducerRecord<>(topics.batches(), "b-topic-bad", "{\"operation\": \"user-provisioning\", "
                    + "\"batch_id\": \"b-topic-bad\", \"rows\": [{\"email\": \"x@example.com\", \"shoe_size\": 42}]}")).get();
            upstream.send(new ProducerRecord<>(topics.batches(), "b-topic-1", "{\"operation\": \"user-provisioning\", "
                    + "\"batch_id\": \"b-topic-1\", \"rows\": [{\"email\": \"dan@Example.COM\", \"role\": \"Viewer\", "
                    + "\"team\": \"ops\"}]}")).get();
        }
        List<JsonNode> items = await().atMost(Duration.ofSeconds(60)).until(() -> readAll(topics.items()).stream()
                .map(r -> (JsonNode) Json.mapper().valueToTree(parse(r.value())))
                .filter(n -> n.path("batch_id").asText().equals("b-topic-1")).toList(), l -> !l.isEmpty());
        assertThat(items).singleElement().satisfies(i -> {
            assertThat(i.path("item_id").asText()).isEqualTo("dan@example.com");
            assertThat(i.path("fields").path("role").asText()).isEqualTo("viewer");
        });
        JsonNode dead = await().atMost(Duration.ofSeconds(60)).until(() -> readAll(topics.deadLetter()).stream()
                .map(r -> (JsonNode) Json.mapper().valueToTree(parse(r.value())))
                .filter(n -> n.path("key").asText().equals("b-topic-bad")).findFirst(), java.util.Optional::isPresent).get();
        assertThat(dead.path("reason").asText()).isEqualTo("batch refused, nothing of it was published: rows: row 1: "
                + "unknown column 'shoe_size' for operation 'user-provisioning' (its fields: email, role, team)");
        assertThat(readAll(topics.batchEvents()).stream().map(r -> r.key())).doesNotContain("b-topic-bad");
    }

    @Test
    void healthIsUpOnceKafkaAndTheTopicsAreThere() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    /** A request with the API key that holds the submitter and approver roles. */
    static RequestSpecification asOpsLead() {
        return given().auth().oauth2(TestCredentials.OPS_LEAD);
    }

    static Object parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON on the items topic: " + json, e);
        }
    }

    /** Every record of a topic, up to its end offsets as they are now. */
    static List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    private static long endOffsetSum(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", KafkaTestResource.bootstrapServers);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(p);
    }
}
