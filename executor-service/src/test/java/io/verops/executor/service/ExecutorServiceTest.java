package io.verops.executor.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.verops.executor.ModelEndpoint;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class ExecutorServiceTest {
    @Inject
    ExecutorConfig config;

    @Test
    void healthIsUpOnceKafkaAndTheTopicsAreThere() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].name", equalTo("kafka"));
    }

    @Test
    void theModelEndpointComesFromTheConfigurationAndNoneMeansNoKey() {
        assertThat(config.executor().model().endpoint())
                .isEqualTo(new ModelEndpoint("codex-sim", "codex-sim", "http://127.0.0.1:9/v1", null));
    }

    @Test
    void theDefaultsFollowTheHome() {
        assertThat(config.executor().concurrency()).isEqualTo(4);
        assertThat(config.executor().codexBinary())
                .isEqualTo(config.home().resolve(".tools/codex/node_modules/.bin/codex"));
        assertThat(config.operationsDir()).isEqualTo(config.home().resolve("operations"));
        assertThat(config.problems()).isEmpty();
        assertThat(config.executor().allowSandboxBypass()).isFalse();
        assertThat(config.executor().sandboxBypass()).isEqualTo(io.verops.core.operation.SandboxBypass.REFUSED);
    }
}
