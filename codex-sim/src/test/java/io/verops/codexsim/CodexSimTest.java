package io.verops.codexsim;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.verops.codexsim.TestBodies.JSON;
import static org.assertj.core.api.Assertions.assertThat;

class CodexSimTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpRequest post(CodexSim sim, String body) {
        return HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/responses"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String applyBody(String itemId) {
        return TestBodies.turn1(TestBodies.prompt(TestBodies.item("apply", itemId, "admin", "ops", "/db/users.db"))).toString();
    }

    @Test
    void it_listens_on_loopback_and_streams_server_sent_events_for_a_responses_post() throws Exception {
        try (CodexSim sim = CodexSim.start(SimConfig.defaults())) {
            assertThat(sim.port()).isPositive();
            assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port() + "/v1");

            HttpResponse<String> r = http.send(post(sim, applyBody("a@x.com")), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(r.body()).startsWith("event: response.created\ndata: {")
                    .contains("\n\nevent: response.output_item.done\ndata: {")
                    .contains("\n\nevent: response.completed\ndata: {").endsWith("}\n\n");
            assertThat(sim.requestCount()).isEqualTo(1);
            assertThat(sim.requestBodies()).containsExactly(applyBody("a@x.com"));
        }
    }

    @Test
    void other_paths_are_404_and_healthz_answers_ok() throws Exception {
        try (CodexSim sim = CodexSim.start(SimConfig.defaults())) {
            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/models")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).isEqualTo(404);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(sim.requestCount()).isZero();
        }
    }

    @Test
    void an_http_fault_is_answered_with_its_status_and_an_openai_error_body() throws Exception {
        try (CodexSim sim = CodexSim.start(SimConfig.defaults().withFault(Fault.parse("http429:times=1")))) {
            HttpResponse<String> r = http.send(post(sim, applyBody("a@x.com")), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(429);
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertThat(error.get("message").asText()).contains("http429");
            assertThat(error.get("type").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(http.send(post(sim, applyBody("a@x.com")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(sim.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void a_hung_request_is_released_when_the_sim_closes() throws Exception {
        CodexSim sim = CodexSim.start(SimConfig.defaults().withFault(Fault.parse("hang:item=slow")));
        CompletableFuture<HttpResponse<String>> hung = http.sendAsync(post(sim, applyBody("slow")), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = http.send(post(sim, applyBody("fast")), HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(200);
        Thread.sleep(200);
        assertThat(hung).isNotDone();
        assertThat(sim.requestCount()).isEqualTo(2);

        long t0 = System.nanoTime();
        sim.close();
        assertThat(hung).failsWithin(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void latency_delays_each_answer_without_serialising_concurrent_requests() throws Exception {
        Duration latency = Duration.ofMillis(400);
        int n = 64;
        try (CodexSim sim = CodexSim.start(SimConfig.defaults().withLatency(latency))) {
            long t0 = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(http.sendAsync(post(sim, applyBody("u" + i + "@x.com")), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> f : all) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(took).isGreaterThanOrEqualTo(latency).isLessThan(latency.multipliedBy(n / 4));
            assertThat(sim.requestCount()).isEqualTo(n);
            assertThat(sim.requestBodies()).hasSize(n);
        }
    }

    @Test
    void close_is_idempotent_and_frees_the_port() throws Exception {
        CodexSim sim = CodexSim.start(SimConfig.defaults());
        int port = sim.port();
        sim.close();
        sim.close();
        try (CodexSim again = startOn(port)) {
            assertThat(again.port()).isEqualTo(port);
        }
    }

    /**
     * A sim on this port. The freed port is ephemeral, so another process on the machine may take it as the local
     * port of a connection for a moment; a few tries tell that from a port the closed sim still holds.
     */
    private static CodexSim startOn(int port) throws Exception {
        java.net.BindException last = null;
        for (int i = 0; i < 20; i++) {
            try {
                return CodexSim.start(SimConfig.defaults().withPort(port));
            } catch (java.net.BindException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }
}
