package io.verops.verifier.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.verops.core.kafka.TopicSetup;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** /q/health/ready of a running service follows its broker: down while stopped or a topic is missing, up after. */
@QuarkusTest
@QuarkusTestResource(value = RestartableKafkaTestResource.class, restrictToAnnotatedClass = true)
class ReadinessAroundBrokerRestartTest {
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    VerifierConfig config;

    @Test
    void readyIsDownWhileTheBrokerIsStoppedAndUpAgainOnceItIsBack() {
        await().atMost(PATIENCE).until(() -> ready().statusCode == 200);
        String servers = RestartableKafkaTestResource.bootstrapServers();

        RestartableKafkaTestResource.stopBroker();
        Health down = await().atMost(PATIENCE).until(this::ready, h -> h.statusCode == 503);
        assertThat(down.json.getString("status")).isEqualTo("DOWN");
        Map<String, String> data = down.json.getMap("checks.find { it.name == 'kafka' }.data");
        assertThat(data).containsEntry("bootstrap_servers", servers);
        assertThat(data.get("reason")).startsWith("Kafka at " + servers + " unreachable: ");
        given().when().get("/q/health/live").then().statusCode(200);

        RestartableKafkaTestResource.startBroker();
        Health up = await().atMost(PATIENCE).until(this::ready, h -> h.statusCode == 200);
        assertThat(up.json.getString("status")).isEqualTo("UP");
    }

    @Test
    void readyIsDownWhileOneOfTheServicesTopicsIsMissing() throws Exception {
        await().atMost(PATIENCE).until(() -> ready().statusCode == 200);
        String results = config.kafka().settings().topics().results();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", RestartableKafkaTestResource.bootstrapServers()))) {
            admin.deleteTopics(List.of(results)).all().get(30, TimeUnit.SECONDS);
        }
        Health down = await().atMost(PATIENCE).until(this::ready, h -> h.statusCode == 503);
        Map<String, String> data = down.json.getMap("checks.find { it.name == 'kafka' }.data");
        assertThat(data).containsEntry("missing_topics", results);

        TopicSetup.ensureTopics(config.kafka().settings());
        await().atMost(PATIENCE).until(() -> ready().statusCode == 200);
    }

    private Health ready() {
        var response = given().when().get("/q/health/ready").then().extract();
        return new Health(response.statusCode(), response.jsonPath());
    }

    private record Health(int statusCode, JsonPath json) {
    }
}
