package io.verops.ingest.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local-development opt-out: verops.auth.enabled=false lets anyone in, and the approval says so. */
@QuarkusTest
@TestProfile(AuthDisabledTest.Disabled.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class AuthDisabledTest {
    public static class Disabled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("verops.auth.enabled", "false");
        }
    }

    @Test
    void anyoneMaySubmitAndApproveAndTheApproverIsRecordedAsUnauthenticated() {
        given().contentType("text/csv").body("email,role,team\nyan@example.com,viewer,ops\n")
                .queryParam("operation", "user-provisioning")
                .when().post("/batches").then().statusCode(202).body("items", equalTo(1));
        given().contentType("application/json").body("{\"decision\":\"approved\"}")
                .when().post("/batches/b-open/approval").then().statusCode(202)
                .body("actor", startsWith("unauthenticated HTTP caller at "));
    }
}
