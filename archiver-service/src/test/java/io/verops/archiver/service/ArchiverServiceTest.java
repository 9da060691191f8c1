package io.verops.archiver.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.verops.archiver.BundleVerifier;
import io.verops.archiver.ServiceBundles;
import io.verops.core.Json;
import io.verops.core.Phase;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestCredentials.class, restrictToAnnotatedClass = true)
class ArchiverServiceTest {
    static final Path REPORTS = Path.of("target/reports").toAbsolutePath();
    static final Path KEYS = Path.of("target/keys").toAbsolutePath();
    static final String OP = ServiceBundles.OPERATION;

    /** Three bundles on two days: an apply and its dry run (1 failure), and a halted apply a day later. */
    @BeforeAll
    static void bundles() throws Exception {
        write("b-svc-1", Phase.DRY_RUN, "2026-03-01T10:00:00Z", false);
        write("b-svc-1", Phase.APPLY, "2026-03-01T10:05:00Z", false);
        write("b-svc-2", Phase.APPLY, "2026-03-02T09:00:00Z", true);
    }

    private static void write(String id, Phase phase, String start, boolean halted) throws Exception {
        String dir = phase == Phase.DRY_RUN ? id + ".dry-run" : id;
        if (!Files.exists(REPORTS.resolve(OP).resolve(dir))) {
            ServiceBundles.write(REPORTS, KEYS, id, phase, Instant.parse(start), halted);
        }
    }

    /** A request with the API key that holds the reader role. */
    static RequestSpecification asReader() {
        return given().auth().oauth2(TestCredentials.READER_BOT);
    }

    @Test
    void theListShowsEveryBundleNewestFirstWithItsStatusCountsAndLinks() {
        asReader().when().get("/batches").then().statusCode(200).contentType("application/json")
                .body("total", equalTo(3))
                .body("batches.batch_id", contains("b-svc-2", "b-svc-1", "b-svc-1"))
                .body("batches.phase", contains("apply", "apply", "dry_run"))
                .body("batches.status", contains("halted", "failed", "failed"))
                .body("batches[0].counts.total_items", equalTo(5))
                .body("batches[0].counts.failed", equalTo(1))
                .body("batches[0].halts[0].gate.name", equalTo("failure_ratio"))
                .body("batches[1].links.bundle", equalTo("/batches/b-svc-1/bundle"))
                .body("batches[1].dry_run_bundle.href", equalTo("/batches/b-svc-1.dry-run"))
                .body("batches[2].links.self", equalTo("/batches/b-svc-1.dry-run"));
    }

    @Test
    void theListFiltersByOperationStatusPhaseAndDate() {
        asReader().queryParam("operation", OP).when().get("/batches").then().statusCode(200).body("total", equalTo(3));
        asReader().queryParam("status", "halted").when().get("/batches").then().statusCode(200)
                .body("batches.batch_id", contains("b-svc-2"));
        asReader().queryParam("phase", "dry_run").when().get("/batches").then().statusCode(200)
                .body("batches.links.self", contains("/batches/b-svc-1.dry-run"));
        asReader().queryParam("since", "2026-03-02").when().get("/batches").then().statusCode(200)
                .body("batches.batch_id", contains("b-svc-2"));
        asReader().queryParam("until", "2026-03-01").when().get("/batches").then().statusCode(200)
                .body("total", equalTo(2));
        asReader().queryParam("since", "2026-03-01T10:01:00Z").queryParam("until", "2026-03-01T12:30:00+02:00")
                .when().get("/batches").then().statusCode(200).body("batches.phase", contains("apply"));
        asReader().queryParam("limit", "1").when().get("/batches").then().statusCode(200)
                .body("total", equalTo(3)).body("count", equalTo(1)).body("batches.batch_id", contains("b-svc-2"));
        asReader().queryParam("operation", "user-provisioning").when().get("/batches").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void badFiltersAre400WithAJsonErrorNamingTheParameter() {
        asReader().queryParam("status", "done").when().get("/batches").then().statusCode(400)
                .contentType("application/json")
                .body("error", equalTo("status 'done' is not one of succeeded, needs_input, failed, halted, rejected"));
        asReader().queryParam("since", "01/03/2026").when().get("/batches").then().statusCode(400)
                .body("error", startsWith("since '01/03/2026' is neither a date"));
        asReader().queryParam("operation", "no-such-op").when().get("/batches").then().statusCode(400)
                .body("error", startsWith("operation 'no-such-op' is not known (known: "));
        asReader().queryParam("phase", "both").when().get("/batches").then().statusCode(400)
                .body("error", equalTo("phase 'both' is not one of dry_run, apply"));
        asReader().queryParam("limit", "0").when().get("/batches").then().statusCode(400)
                .body("error", equalTo("limit '0' is not a whole number from 1 to 1000"));
    }

    @Test
    void aBatchsSummaryAndItsReportsInEachFormat() throws Exception {
        asReader().when().get("/batches/b-svc-1").then().statusCode(200).contentType("application/json")
                .body("batch_id", equalTo("b-svc-1")).body("operation", equalTo(OP))
                .body("status", equalTo("failed")).body("counts.succeeded", equalTo(2))
                .body("approval.actor", equalTo("ops-lead"));
        byte[] json = asReader().when().get("/batches/b-svc-1/report.json").then().statusCode(200)
                .contentType("application/json").extract().asByteArray();
        assertThat(json).isEqualTo(Files.readAllBytes(REPORTS.resolve(OP).resolve("b-svc-1/report.json")));
        asReader().when().get("/batches/b-svc-1/report").then().statusCode(200).contentType("application/json");
        String csv = asReader().when().get("/batches/b-svc-1/report.csv").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        assertThat(csv).isEqualTo(Files.readString(REPORTS.resolve(OP).resolve("b-svc-1/results.csv")))
                .startsWith("item_id,row,status,");
        asReader().when().get("/batches/b-svc-1.dry-run/report.html").then().statusCode(200)
                .contentType(containsString("text/html")).body(containsString("<table id=\"items\""));
    }

    @Test
    void theBundleZipUnzipsIntoABundleThatVerifies() throws Exception {
        byte[] zip = asReader().when().get("/batches/b-svc-1/bundle").then().statusCode(200)
                .contentType("application/zip")
                .header("Content-Disposition", equalTo("attachment; filename=\"b-svc-1.zip\""))
                .extract().asByteArray();
        Path out = Files.createTempDirectory(Path.of("target"), "unzipped-");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                Path target = out.resolve(e.getName()).normalize();
                assertThat(target.startsWith(out)).as("entry %s stays inside the folder", e.getName()).isTrue();
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        assertThat(names).contains("b-svc-1/", "b-svc-1/manifest.json", "b-svc-1/audit.jsonl", "b-svc-1/report.json",
                "b-svc-1/public-key.pem");
        BundleVerifier.Result r = BundleVerifier.verify(out.resolve("b-svc-1"), null);
        assertThat(r.ok()).as(r.message()).isTrue();
        JsonNode report = Json.mapper().readTree(out.resolve("b-svc-1/report.json").toFile());
        assertThat(report.path("batch_id").asText()).isEqualTo("b-svc-1");
    }

    @Test
    void anUnknownBatchIs404WithAJsonError() {
        for (String path : List.of("", "/report", "/report.json", "/report.csv", "/report.html", "/bundle")) {
            asReader().when().get("/batches/b-20260101-000000-abcdef" + path)
                    .then().statusCode(404)
                    .contentType("application/json")
                    .body("error", equalTo("no evidence bundle for batch 'b-20260101-000000-abcdef' (unknown, or not complete yet)"));
        }
    }

    @Test
    void anIdThatCouldLeaveTheReportsFolderFindsNothing() {
        asReader().when().get("/batches/.hidden/report").then().statusCode(404).contentType("application/json")
                .body("error", equalTo("no evidence bundle for batch '.hidden' (unknown, or not complete yet)"));
        asReader().when().get("/batches/..%2F..%2Fetc/report.json").then().statusCode(404);
    }

    @Test
    void healthIsUpOnceKafkaAndTheTopicsAreThere() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
