package io.verops.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.codexsim.CodexSim;
import io.verops.codexsim.SimConfig;
import io.verops.core.Json;
import io.verops.core.auth.ApiKeyTool;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four services as a deployment runs them: each in its own JVM, started from its packaged application, all
 * on one Kafka broker, with codex-sim as the executor's model. A batch goes in over HTTP at ingest, and its
 * evidence comes out over HTTP at the archiver.
 */
class PackagedServicesTest {
    private static final Logger LOG = LoggerFactory.getLogger(PackagedServicesTest.class);
    private static final String OPERATION = "user-provisioning";
    // Upper bounds only, generous for a loaded machine: the waits end as soon as the outcome is there.
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration PHASE_TIMEOUT = Duration.ofMinutes(10);
    /** Ingest's API key (submitter, approver), given to it as environment variables. */
    private static final String OPERATOR_KEY = "k-it-operator-" + UUID.randomUUID();
    /** The archiver's API key (reader), given to it as system properties. */
    private static final String AUDITOR_KEY = "k-it-auditor-" + UUID.randomUUID();

    private static Path root;
    private static Path work;
    private static EmbeddedKafka broker;
    private static CodexSim sim;
    /** The collector the four services export their traces to. */
    private static OtlpReceiver traces;
    private static final Map<String, Service> services = new LinkedHashMap<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Instant started;

    /** One running service: its HTTP port, its process and the files holding its output. */
    private record Service(String name, int port, Process process, Path out, Path err) {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        String logTail() {
            return tail(out) + tail(err);
        }

        private static String tail(Path file) {
            try {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return "\n--- " + file.getFileName() + " (last lines) ---\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                return "\n--- " + file + ": " + e.getMessage();
            }
        }
    }

    @BeforeAll
    static void startBrokerSimAndTheFourServices() throws Exception {
        started = Instant.now();
        root = Path.of(System.getProperty("verops.root", "..")).toAbsolutePath().normalize();
        work = root.resolve("integration-tests/target/it-" + System.currentTimeMillis());
        Files.createDirectories(work);
        for (String name : List.of("ingest", "executor", "verifier", "archiver")) {
            Path jar = jar(name);
            assertThat(jar).as("the packaged %s service (build it with: mvn -pl integration-tests -am verify)", name)
                    .isRegularFile();
        }
        broker = EmbeddedKafka.start(work.resolve("kafka"), KafkaSettings.DEFAULT_PARTITIONS);
        sim = CodexSim.start(SimConfig.defaults());
        traces = new OtlpReceiver();

        start("ingest", List.of(), Map.of("VEROPS_AUTH_API_KEYS_OPERATOR_SHA256", ApiKeyTool.sha256Hex(OPERATOR_KEY),
                "VEROPS_AUTH_API_KEYS_OPERATOR_ROLES", "submitter,approver"));
        start("executor", List.of(
                "-Dverops.executor.model.base-url=" + sim.baseUrl(),
                "-Dverops.executor.model.provider-id=codex-sim",
                "-Dverops.executor.model.env-key=none",
                "-Dverops.executor.work-dir=" + work.resolve("executor-work"),
                "-Dverops.target-db." + OPERATION + "=" + targetDb()), Map.of());
        start("verifier", List.of("-Dverops.target-db." + OPERATION + "=" + targetDb()), Map.of());
        start("archiver", List.of("-Dverops.archiver.reports-dir=" + work.resolve("reports"),
                "-Dverops.keys.dir=" + work.resolve("keys"),
                "-Dverops.auth.api-keys.auditor.sha256=" + ApiKeyTool.sha256Hex(AUDITOR_KEY),
                "-Dverops.auth.api-keys.auditor.roles=reader"), Map.of());

        for (Service s : services.values()) {
            await("readiness of the " + s.name() + " service").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(300))
                    .until(() -> status(s, s.uri("/q/health/ready"), null) == 200);
        }
        LOG.info("broker, codex-sim and the four services ready after {} ms", Duration.between(started, Instant.now()).toMillis());
    }

    @AfterAll
    static void stopEverything() {
        for (Service s : services.values()) {
            s.process().destroy(); // SIGTERM: a graceful Quarkus shutdown
        }
        for (Service s : services.values()) {
            try {
                if (!s.process().waitFor(30, TimeUnit.SECONDS)) {
                    s.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                s.process().destroyForcibly();
            }
        }
        if (sim != null) {
            sim.close();
        }
        if (traces != null) {
            traces.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (started != null) {
            LOG.info("wall time of the packaged-services test: {} ms", Duration.between(started, Instant.now()).toMillis());
        }
    }

    @Test
    void aCsvBatchPostedToIngestIsDryRunAppliedOnApprovalAndArchivedWithExactCounts() throws Exception {
        Service ingest = services.get("ingest");
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(ingest.uri("/batches?operation=" + OPERATION))
                        .header("Content-Type", "text/csv")
                        .header("Authorization", "Bearer " + OPERATOR_KEY)
                        .POST(HttpRequest.BodyPublishers.ofFile(root.resolve("examples/batches/users.csv")))
                        .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        JsonNode accepted = Json.mapper().readTree(posted.body());
        String batchId = accepted.path("batch_id").asText();
        assertThat(accepted.path("rows").asInt()).isEqualTo(10);
        assertThat(accepted.path("items").asInt()).isEqualTo(8);
        assertThat(accepted.path("not_executed").asInt()).isEqualTo(2);

        JsonNode dryRun = awaitReport(batchId + ".dry-run");
        assertThat(counts(dryRun)).containsExactly(10, 8, 0, 0, 2, 0);
        assertThat(sqlite("SELECT count(*) FROM users;")).as("the dry run changes nothing").containsExactly("0");

        approve(batchId);

        JsonNode report = awaitReport(batchId);
        assertThat(report.path("batch_id").asText()).isEqualTo(batchId);
        assertThat(report.path("approval").path("actor").asText()).as("the approver is the authenticated key")
                .isEqualTo("api-key:operator");
        assertThat(counts(report)).as("total, succeeded, failed, skipped, needs input, indeterminate")
                .containsExactly(10, 8, 0, 0, 2, 0);
        List<JsonNode> results = new ArrayList<>();
        report.path("results").forEach(results::add);
        assertThat(results).hasSize(10);
        assertThat(results).filteredOn(r -> r.path("status").asText().equals("needs_input"))
                .extracting(r -> r.path("item_id").asText())
                .containsExactlyInAnyOrder("erin@example.com", "grace@example.com");
        assertThat(results).filteredOn(r -> r.path("status").asText().equals("success"))
                .hasSize(8)
                .allSatisfy(r -> assertThat(r.path("audit_events").asInt())
                        .as("audit events of %s", r.path("item_id").asText()).isPositive());

        Map<String, String> bundle = bundleFiles(batchId);
        JsonNode env = Json.mapper().readTree(bundle.get("manifest.json"));
        JsonNode provenance = Json.mapper().readTree(java.util.Base64.getDecoder().decode(env.path("payload").asText()))
                .path("predicate");
        assertThat(provenance.path("codex_version").asText()).as("the executor's codex, recorded in the audit")
                .isEqualTo("codex-cli 0.169.0");
        assertThat(provenance.path("model").path("provider").asText()).isEqualTo("codex-sim");
        assertThat(provenance.path("operation").path("hook_policy_sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(bundle.get("audit.jsonl").lines().filter(l -> l.contains("\"type\":\"verops.attempt.started\"")))
                .hasSize(8);

        assertThat(sqlite("SELECT email FROM users ORDER BY email;")).containsExactly(
                "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com",
                "frank@example.com", "heidi@example.com", "ivan@example.com", "judy@example.com");

        // a line a stage logs while it handles a record carries the record's trace and batch in its MDC
        List<JsonNode> released = new ArrayList<>();
        for (String line : Files.readAllLines(services.get("executor").out(), StandardCharsets.UTF_8)) {
            JsonNode n = line.isBlank() ? null : Json.mapper().readTree(line);
            if (n != null && n.path("message").asText().contains("items released")
                    && n.path("message").asText().contains(batchId)) {
                released.add(n);
            }
        }
        assertThat(released).as("the coordinator's line releasing the apply").hasSize(1);
        assertThat(released.get(0).path("mdc").path("batchId").asText()).isEqualTo(batchId);
        assertThat(released.get(0).path("mdc").path("traceId").asText()).matches("[0-9a-f]{32}");
        assertThat(released.get(0).path("mdc").path("spanId").asText()).matches("[0-9a-f]{16}");

        // one trace per item across the four services, dry run and apply, every span's parent in it
        List<String> executed = results.stream().filter(r -> r.path("status").asText().equals("success"))
                .map(r -> r.path("item_id").asText()).toList();
        await("every item's trace, complete at the collector").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> executed.forEach(item -> assertOneTraceAcrossTheServices(batchId, item)));
    }

    private static void assertOneTraceAcrossTheServices(String batchId, String item) {
        List<OtlpReceiver.ReceivedSpan> all = traces.spans();
        List<OtlpReceiver.ReceivedSpan> ingested = all.stream().filter(s -> s.name().equals("ingest item")
                && item.equals(s.attributes().get("verops.item_id"))
                && batchId.equals(s.attributes().get("verops.batch_id"))).toList();
        assertThat(ingested).as("the ingest span of %s (requests at the collector: %s)", item, traces.requests())
                .hasSize(1);
        String trace = ingested.get(0).traceId();
        List<OtlpReceiver.ReceivedSpan> spans = all.stream().filter(s -> s.traceId().equals(trace)).toList();
        java.util.Set<String> ids = spans.stream().map(OtlpReceiver.ReceivedSpan::spanId)
                .collect(java.util.stream.Collectors.toSet());
        assertThat(spans).filteredOn(s -> !s.parentSpanId().isEmpty())
                .as("every span of %s's trace has its parent in the trace", item)
                .allSatisfy(s -> assertThat(ids).contains(s.parentSpanId()));
        assertThat(spans).filteredOn(s -> s.parentSpanId().isEmpty()).as("one root: ingest").hasSize(1);
        assertThat(spans.stream().map(s -> s.service() + ":" + s.name()).distinct()).contains(
                "verops-ingest:ingest item", "verops-ingest:send verops.items",
                "verops-executor:process verops.items", "verops-executor:execute item", "verops-executor:codex exec",
                "verops-executor:send verops.results", "verops-verifier:process verops.results",
                "verops-verifier:verify item", "verops-verifier:send verops.verdicts",
                "verops-archiver:process verops.verdicts", "verops-executor:release apply");
        assertThat(spans).filteredOn(s -> s.name().equals("execute item"))
                .extracting(s -> s.attributes().get("verops.phase")).containsExactlyInAnyOrder("dry_run", "apply");
    }

    /**
     * In production (the packaged jars, no profile) every service logs one JSON object per line on stdout, its own
     * lines included, and never the API keys it was given.
     */
    @Test
    void everyServiceLogsJsonLinesInProductionAndNoKey() throws Exception {
        for (Service s : services.values()) {
            List<String> lines = Files.readAllLines(s.out(), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("stdout of the %s service", s.name()).isNotEmpty();
            List<JsonNode> json = new ArrayList<>();
            for (String line : lines) {
                JsonNode n = Json.mapper().readTree(line);
                assertThat(n != null && n.isObject()).as("a JSON object per line of %s: %s", s.out(), line).isTrue();
                assertThat(n.has("level") && n.has("loggerName") && n.has("message") && n.has("mdc"))
                        .as("level, loggerName, message, mdc: %s", line).isTrue();
                json.add(n);
            }
            assertThat(json).as("the %s service's own start-up line", s.name())
                    .anyMatch(n -> n.path("loggerName").asText().startsWith("io.verops."));
            assertThat(String.join("\n", lines)).doesNotContain(OPERATOR_KEY).doesNotContain(AUDITOR_KEY);
        }
    }

    private static void start(String name, List<String> extra, Map<String, String> env) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                "-Dverops.home=" + root,
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // traces to the test's collector, over OTLP/HTTP, exported soon after each span ends
                "-Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf",
                "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + traces.endpoint(),
                "-Dquarkus.otel.bsp.schedule.delay=PT0.2S"));
        cmd.addAll(extra);
        cmd.add("-jar");
        cmd.add(jar(name).toString());
        Path out = work.resolve(name + ".out");
        Path err = work.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        services.put(name, new Service(name, port, p, out, err));
    }

    private static Path jar(String name) {
        return root.resolve(name + "-service/target/quarkus-app/quarkus-run.jar");
    }

    private static Path targetDb() {
        return work.resolve("targets/" + OPERATION + ".db");
    }

    /**
     * The HTTP status of a GET (with an API key unless null), or -1 while the service does not answer; fails at once
     * when it has exited.
     */
    private static int status(Service s, URI uri, String apiKey) throws InterruptedException {
        if (!s.process().isAlive()) {
            throw new AssertionError("the " + s.name() + " service exited with " + s.process().exitValue() + s.logTail());
        }
        try {
            HttpRequest.Builder get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
            if (apiKey != null) {
                get.header("X-API-Key", apiKey);
            }
            return http.send(get.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Polls the archiver until the bundle's report.json is there; health needs no key, the API does. */
    private static JsonNode awaitReport(String id) throws Exception {
        Service archiver = services.get("archiver");
        URI uri = archiver.uri("/batches/" + id + "/report");
        await("the report of " + id).atMost(PHASE_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    for (Service s : services.values()) {
                        if (!s.process().isAlive()) {
                            throw new AssertionError("the " + s.name() + " service exited" + s.logTail());
                        }
                    }
                    return status(archiver, uri, AUDITOR_KEY) == 200;
                });
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("X-API-Key", AUDITOR_KEY).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        return Json.mapper().readTree(r.body());
    }

    /** The files of a bundle, fetched as the archiver's zip. */
    private static Map<String, String> bundleFiles(String id) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(services.get("archiver").uri("/batches/" + id + "/bundle"))
                .header("X-API-Key", AUDITOR_KEY).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, String> files = new LinkedHashMap<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(r.body()))) {
            for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory()) {
                    files.put(Path.of(e.getName()).getFileName().toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    private static List<Integer> counts(JsonNode report) {
        return List.of(report.path("total_items").asInt(-1), report.path("succeeded").asInt(-1),
                report.path("failed").asInt(-1), report.path("skipped").asInt(-1), report.path("needs_input").asInt(-1),
                report.path("indeterminate").asInt(-1));
    }

    /** What an operator does: approves the apply over HTTP with a key that holds the approver role. */
    private static void approve(String batchId) throws Exception {
        Service ingest = services.get("ingest");
        HttpRequest unauthenticated = HttpRequest.newBuilder(ingest.uri("/batches/" + batchId + "/approval"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approved\"}")).build();
        assertThat(http.send(unauthenticated, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest.uri("/batches/" + batchId + "/approval"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + OPERATOR_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"decision\":\"approved\",\"reason\":\"approved by the packaged-services test\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(Json.mapper().readTree(r.body()).path("actor").asText()).isEqualTo("api-key:operator");
    }

    /** Rows of a query on the private target database, through the sqlite3 CLI. */
    private static List<String> sqlite(String sql) throws Exception {
        Process p = new ProcessBuilder("sqlite3", targetDb().toString(), sql).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("sqlite3 %s: %s", sql, out).isZero();
        return out.lines().toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
