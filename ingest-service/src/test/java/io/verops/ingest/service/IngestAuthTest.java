package io.verops.ingest.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.verops.core.Json;
import io.verops.core.Topics;
import io.verops.core.auth.ApiKeyTool;
import io.verops.core.auth.Refusals;
import java.nio.file.Files;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestCredentials.class, restrictToAnnotatedClass = true)
class IngestAuthTest {
    private static final String ONE_USER = "email,role,team\nzoe@example.com,viewer,ops\n";
    private static final String APPROVE = "{\"decision\":\"approved\",\"reason\":\"looked fine\"}";
    private static final String WRONG_KEY = "k-wrong-5e4d3c2b1a0f9e8d7c6b";

    private static RequestSpecification submit(RequestSpecification r) {
        return r.contentType("text/csv").body(ONE_USER).queryParam("operation", "user-provisioning");
    }

    private static RequestSpecification approve(RequestSpecification r) {
        return r.contentType("application/json").body(APPROVE);
    }

    @Test
    void withoutCredentialsSubmittingAndApprovingAre401WithAJsonErrorAndAChallenge() {
        submit(given()).when().post("/batches").then().statusCode(401)
                .contentType("application/json")
                .header("WWW-Authenticate", "Bearer realm=\"verops\"")
                .body("error", equalTo(Refusals.missing(true)));
        approve(given()).when().post("/batches/b-auth-none/approval").then().statusCode(401)
                .contentType("application/json")
                .body("error", equalTo(Refusals.missing(true)));
    }

    @Test
    void anUnknownKeyIs401InEitherHeaderAndSoIsAnotherScheme() {
        submit(given().auth().oauth2(WRONG_KEY)).when().post("/batches").then().statusCode(401)
                .body("error", equalTo(Refusals.unknownKey()));
        submit(given().header("X-API-Key", WRONG_KEY)).when().post("/batches").then().statusCode(401)
                .body("error", equalTo(Refusals.unknownKey()));
        submit(given().header("Authorization", "Basic b3BzOnNlY3JldA==")).when().post("/batches").then()
                .statusCode(401).body("error", equalTo(Refusals.notBearer(true)));
        submit(given().header("Authorization", TestCredentials.OPS_LEAD)).when().post("/batches").then()
                .statusCode(401).body("error", equalTo(Refusals.notBearer(true)));
    }

    @Test
    void aKeyWithoutTheRoleIs403NamingTheKeyAndTheRole() {
        submit(given().auth().oauth2(TestCredentials.READER_BOT)).when().post("/batches").then().statusCode(403)
                .contentType("application/json")
                .body("error", equalTo("api key 'reader-bot' lacks role submitter (it has: reader)"));
        approve(given().auth().oauth2(TestCredentials.SUBMIT_BOT)).when().post("/batches/b-auth-403/approval")
                .then().statusCode(403)
                .body("error", equalTo("api key 'submit-bot' lacks role approver (it has: submitter)"));
    }

    @Test
    void aKeyWithTheRoleIsLetInByEitherHeader() {
        submit(given().auth().oauth2(TestCredentials.SUBMIT_BOT)).when().post("/batches").then().statusCode(202)
                .body("items", equalTo(1));
        submit(given().header("X-API-Key", TestCredentials.SUBMIT_BOT)).when().post("/batches").then()
                .statusCode(202);
    }

    @Test
    void theApprovalNamesTheAuthenticatedKeyAsItsActor() {
        approve(given().auth().oauth2(TestCredentials.OPS_LEAD)).when().post("/batches/b-auth-key/approval")
                .then().statusCode(202).body("actor", equalTo("api-key:ops-lead"));
        assertThat(controlActors("b-auth-key")).containsExactly("api-key:ops-lead");
    }

    @Test
    void anOidcTokenWithTheRoleIsLetInAndTheApprovalNamesItsUser() {
        String alice = TestCredentials.token("alice", List.of("change-board"));
        approve(given().auth().oauth2(alice)).when().post("/batches/b-auth-oidc/approval")
                .then().statusCode(202).body("actor", equalTo("oidc:alice"));
        assertThat(controlActors("b-auth-oidc")).containsExactly("oidc:alice");
        submit(given().auth().oauth2(TestCredentials.token("carol", List.of("submitter", "staff"))))
                .when().post("/batches").then().statusCode(202);
    }

    @Test
    void anOidcTokenWithoutTheRoleIs403() {
        approve(given().auth().oauth2(TestCredentials.token("bob", List.of("reader", "staff"))))
                .when().post("/batches/b-auth-oidc-403/approval").then().statusCode(403)
                .body("error", equalTo("OIDC user 'bob' lacks role approver (it has: reader)"));
        submit(given().auth().oauth2(TestCredentials.token("dan", List.of()))).when().post("/batches").then()
                .statusCode(403).body("error", equalTo("OIDC user 'dan' lacks role submitter (it has: none)"));
    }

    @Test
    void anOidcTokenSignedByAnotherKeyOrExpiredIs401() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        String forged = TestCredentials.token("mallory", List.of("approver"), g.generateKeyPair().getPrivate(),
                Instant.now().plusSeconds(300));
        approve(given().auth().oauth2(forged)).when().post("/batches/b-auth-forged/approval").then()
                .statusCode(401).contentType("application/json").body("error", equalTo(Refusals.TOKEN_REFUSED));
        String expired = TestCredentials.token("alice", List.of("approver"), TestCredentials.signingKey(),
                Instant.now().minusSeconds(3600));
        approve(given().auth().oauth2(expired)).when().post("/batches/b-auth-expired/approval").then()
                .statusCode(401).body("error", equalTo(Refusals.TOKEN_REFUSED));
        assertThat(controlActors("b-auth-forged")).isEmpty();
    }

    @Test
    void healthStaysOpenWithoutCredentials() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("verops_consumer_lag"));
    }

    @Test
    void refusalsAreLoggedWithMethodPathCallerAndReasonButNoCredentialIsEverLogged() throws Exception {
        submit(given().auth().oauth2(WRONG_KEY)).when().post("/batches").then().statusCode(401);
        approve(given().header("X-API-Key", TestCredentials.READER_BOT)).when().post("/batches/b-auth-log/approval")
                .then().statusCode(403);
        approve(given().auth().oauth2(TestCredentials.OPS_LEAD)).when().post("/batches/b-auth-log/approval")
                .then().statusCode(202);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(TestCredentials.logFile))
                .contains("refused POST /batches: 401 " + Refusals.unknownKey())
                .contains("refused POST /batches/b-auth-log/approval for api-key:reader-bot: 403 api key"
                        + " 'reader-bot' lacks role approver (it has: reader)"));
        String log = Files.readString(TestCredentials.logFile);
        assertThat(log).as("the start-up summary names the keys and roles")
                .contains("3 API keys (ops-lead: submitter+approver, reader-bot: reader, submit-bot: submitter)");
        for (String key : List.of(WRONG_KEY, TestCredentials.OPS_LEAD, TestCredentials.READER_BOT,
                TestCredentials.SUBMIT_BOT)) {
            assertThat(log).doesNotContain(key).doesNotContain(ApiKeyTool.sha256Hex(key));
        }
    }

    private static List<String> controlActors(String batchId) {
        return IngestServiceTest.readAll(Topics.withDefaultPrefix().control()).stream()
                .map(r -> (JsonNode) Json.mapper().valueToTree(IngestServiceTest.parse(r.value())))
                .filter(n -> n.path("batch_id").asText().equals(batchId))
                .map(n -> n.path("actor").asText())
                .toList();
    }
}
