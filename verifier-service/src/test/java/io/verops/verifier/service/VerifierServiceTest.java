package io.verops.verifier.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class VerifierServiceTest {
    @Inject
    VerifierConfig config;

    @Test
    void healthIsUpOnceKafkaAndTheTopicsAreThere() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void prometheusMetricsShowTheLagOfTheResultsTopic() throws Exception {
        String wanted = "verops_consumer_lag{group=\"verops-verifier\",topic=\"verops.results\"} 0.0";
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        String body = "";
        while (System.nanoTime() < deadline && !body.contains(wanted)) {
            body = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            Thread.sleep(200);
        }
        assertThat(body).contains(wanted);
    }

    @Test
    void kafkaClientPropertiesPassThroughWithTheirDottedNames() {
        assertThat(config.kafka().settings().clientProperties())
                .isEqualTo(Map.of("security.protocol", "PLAINTEXT"));
        assertThat(config.kafka().settings().topics().items()).isEqualTo("verops.items");
        assertThat(config.kafka().settings().partitions()).isEqualTo(4);
    }

    @Test
    void theVerifierJudgesAsManyResultsAtOnceAsAnExecutorRunsCodexProcessesByDefault() {
        assertThat(config.verifier().concurrency()).isEqualTo(4);
        assertThat(config.problems()).isEmpty();
    }

    @Test
    void targetDatabaseOverridesAreKeyedByOperation() {
        assertThat(config.targetDb()).containsOnlyKeys("user-provisioning");
        assertThat(config.targetDb().get("user-provisioning")).hasFileName("users.db");
    }
}
