package io.verops.archiver.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.verops.core.auth.ApiKeyTool;
import io.verops.core.auth.Refusals;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading evidence needs the reader role, on every path of the API; health stays open. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestCredentials.class, restrictToAnnotatedClass = true)
class ArchiverAuthTest {
    private static final String UNKNOWN = "b-20260101-000000-0a0a0a";
    private static final List<String> PATHS = List.of("/batches/" + UNKNOWN, "/batches/" + UNKNOWN + "/report",
            "/batches/" + UNKNOWN + "/report.json", "/batches/" + UNKNOWN + "/report.csv",
            "/batches/" + UNKNOWN + "/report.html", "/batches/" + UNKNOWN + "/bundle");

    @Test
    void withoutCredentialsEveryPathIs401WithAJsonErrorAndAChallenge() {
        for (String path : concat("/batches", PATHS)) {
            given().when().get(path).then().statusCode(401).contentType("application/json")
                    .header("WWW-Authenticate", "Bearer realm=\"verops\"")
                    .body("error", equalTo(Refusals.missing(true)));
        }
    }

    @Test
    void anUnknownKeyIs401() {
        given().auth().oauth2("k-not-a-key-of-this-service").when().get("/batches").then().statusCode(401)
                .body("error", equalTo(Refusals.unknownKey()));
        given().header("X-API-Key", "k-not-a-key-of-this-service").when().get("/batches/" + UNKNOWN + "/bundle")
                .then().statusCode(401).body("error", equalTo(Refusals.unknownKey()));
    }

    @Test
    void aKeyWithoutTheReaderRoleIs403OnEveryPath() {
        for (String path : concat("/batches", PATHS)) {
            given().auth().oauth2(TestCredentials.OPS_LEAD).when().get(path).then().statusCode(403)
                    .contentType("application/json")
                    .body("error", equalTo("api key 'ops-lead' lacks role reader (it has: approver, submitter)"));
        }
    }

    @Test
    void theReaderKeyGetsThroughToTheAnswerOnEveryPath() {
        given().auth().oauth2(TestCredentials.READER_BOT).when().get("/batches").then().statusCode(200);
        for (String path : PATHS) {
            given().header("X-API-Key", TestCredentials.READER_BOT).when().get(path).then().statusCode(404)
                    .body("error", startsWith("no evidence bundle for batch '" + UNKNOWN + "'"));
        }
    }

    @Test
    void anOidcTokenReadsWithTheReaderRoleAndIs403WithoutIt() {
        given().auth().oauth2(TestCredentials.token("auditor", List.of("reader"))).when().get("/batches")
                .then().statusCode(200);
        given().auth().oauth2(TestCredentials.token("bob", List.of("submitter"))).when().get("/batches")
                .then().statusCode(403).body("error", equalTo("OIDC user 'bob' lacks role reader (it has: submitter)"));
    }

    @Test
    void healthStaysOpenWithoutCredentials() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("verops_consumer_lag"));
    }

    @Test
    void refusalsAreLoggedButNoCredentialIsEverLogged() throws Exception {
        given().auth().oauth2(TestCredentials.SUBMIT_BOT).when().get("/batches/" + UNKNOWN + "/report.csv")
                .then().statusCode(403);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(TestCredentials.logFile))
                .contains("refused GET /batches/" + UNKNOWN + "/report.csv for api-key:submit-bot: 403 api key"
                        + " 'submit-bot' lacks role reader (it has: submitter)"));
        String log = Files.readString(TestCredentials.logFile);
        for (String key : List.of(TestCredentials.OPS_LEAD, TestCredentials.READER_BOT, TestCredentials.SUBMIT_BOT)) {
            assertThat(log).doesNotContain(key).doesNotContain(ApiKeyTool.sha256Hex(key));
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }
}
