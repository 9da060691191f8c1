package io.verops.archiver.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class ArchiverServiceTest {
    @Test
    void anUnknownBatchIs404WithAJsonError() {
        given().when().get("/batches/b-20260101-000000-abcdef/report")
                .then().statusCode(404)
                .contentType("application/json")
                .body("error", equalTo("no evidence bundle for batch 'b-20260101-000000-abcdef' (unknown, or not complete yet)"));
    }

    @Test
    void anInvalidBatchIdIs404WithAJsonError() {
        given().when().get("/batches/.hidden/report")
                .then().statusCode(404)
                .contentType("application/json")
                .body("error", equalTo("'.hidden' is not a batch id"));
    }

    @Test
    void healthIsUpOnceKafkaAndTheTopicsAreThere() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
