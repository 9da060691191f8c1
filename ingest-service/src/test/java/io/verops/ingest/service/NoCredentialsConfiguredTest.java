package io.verops.ingest.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.verops.core.auth.Refusals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secure by default: with neither API keys nor OIDC configured, nobody gets in, and the service says why. */
@QuarkusTest
@TestProfile(NoCredentialsConfiguredTest.Unconfigured.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class NoCredentialsConfiguredTest {
    static final Path LOG = Path.of("target/logs/no-credentials-configured.log").toAbsolutePath();

    public static class Unconfigured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.deleteIfExists(LOG);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString());
        }
    }

    @Test
    void everyApiCallIs401SayingThatNoCredentialsAreConfigured() {
        given().auth().oauth2("k-any-key-at-all").contentType("text/csv").body("email,role,team\n")
                .queryParam("operation", "user-provisioning")
                .when().post("/batches").then().statusCode(401).contentType("application/json")
                .body("error", equalTo(Refusals.NOT_CONFIGURED));
        given().contentType("application/json").body("{\"decision\":\"approved\"}")
                .when().post("/batches/b-nobody/approval").then().statusCode(401)
                .body("error", equalTo(Refusals.NOT_CONFIGURED));
    }

    @Test
    void theServiceWarnsAtStartAndHealthStaysOpen() throws IOException {
        assertThat(Files.readString(LOG)).contains("WARN").contains("no API keys and no OIDC configured: every call"
                + " to the HTTP API is refused with 401");
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
