package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * report.html of a real run, opened in headless Chromium through chromedriver's W3C WebDriver HTTP API (no
 * Selenium): the numbers shown are those of report.json, and the status filter shows exactly the rows of the
 * chosen status. A screenshot is kept in target/. The set-up installs the Debian packages chromium and
 * chromium-driver where they are missing and it runs as root; elsewhere the test is skipped, saying why.
 */
class VerifyReportPageInBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    static VerifyFixture fixture;
    static JsonNode report;
    static Process driver;
    static String base;
    static String session;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void openThePage() throws Exception {
        ensureChromium();
        fixture = VerifyFixture.run("report-page");
        report = Json.mapper().readTree(fixture.bundle.resolve("report.json").toFile());

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port)
                .redirectErrorStream(true).redirectOutput(fixture.work.resolve("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
                    break;
                }
            } catch (IOException notYet) {
                // chromedriver is still starting
            }
            assertThat(System.nanoTime()).as("chromedriver did not answer on port " + port).isLessThan(deadline);
            Thread.sleep(100);
        }
        ObjectNode caps = Json.mapper().createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        always.put("browserName", "chrome");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", CHROMIUM.toString());
        ArrayNode args = chrome.putArray("args");
        for (String a : List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1800", "--user-data-dir=" + Files.createDirectories(fixture.work.resolve("chromium-profile")))) {
            args.add(a);
        }
        JsonNode created = call("POST", "/session", caps);
        session = created.path("value").path("sessionId").asText();
        assertThat(session).as(created.toString()).isNotEmpty();
        ObjectNode url = Json.mapper().createObjectNode().put("url", fixture.bundle.resolve("report.html").toUri().toString());
        call("POST", "/session/" + session + "/url", url);
    }

    @AfterAll
    static void closeTheBrowser() throws Exception {
        try {
            if (session != null) {
                call("DELETE", "/session/" + session, null);
            }
        } finally {
            if (driver != null) {
                driver.destroy();
                if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                    driver.destroyForcibly();
                }
            }
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    @Test
    void theNumbersShownAreThoseOfTheReport() throws Exception {
        for (String count : List.of("total_items", "succeeded", "failed", "skipped", "needs_input", "indeterminate")) {
            assertThat(text("#count-" + count)).as(count).isEqualTo(report.path(count).asText());
        }
        JsonNode usage = report.path("usage");
        assertThat(text("#tokens-input")).isEqualTo(usage.path("input_tokens").asText());
        assertThat(text("#tokens-output")).isEqualTo(usage.path("output_tokens").asText());
        assertThat(text("#tokens-total")).isEqualTo(Long.toString(usage.path("input_tokens").asLong()
                + usage.path("output_tokens").asLong()));
        assertThat(text("#started-at")).isEqualTo(report.path("started_at").asText());
        assertThat(text("#batch-id")).isEqualTo(report.path("batch_id").asText());
        assertThat(text("#approval-actor")).isEqualTo(report.path("approval").path("actor").asText());
        assertThat(text("#dry-run-link")).isEqualTo(report.path("dry_run_bundle").path("path").asText());
        assertThat(elements("#gates-table tr[data-gate]")).hasSize(report.path("gates").size());
        List<String> rows = elements("#items tbody tr");
        assertThat(rows).hasSize(report.path("results").size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = report.path("results").get(i);
            assertThat(call("GET", "/session/" + session + "/element/" + rows.get(i) + "/text", null).path("value").asText())
                    .contains(r.path("item_id").asText()).contains(r.path("status").asText());
        }
    }

    @Test
    void theStatusFilterShowsOnlyTheRowsOfThatStatus() throws Exception {
        try {
            click("#status-filter button[data-filter='needs_input']");
            assertThat(visibleRows()).hasSize(report.path("needs_input").asInt()).allMatch(s -> s.equals("needs_input"));
            assertThat(text("#shown-count")).isEqualTo(report.path("needs_input").asText());
            screenshot(Path.of("target", "report-page-needs-input.png"));

            click("#status-filter button[data-filter='success']");
            assertThat(visibleRows()).hasSize(report.path("succeeded").asInt()).allMatch(s -> s.equals("success"));

            click("#status-filter button[data-filter='all']");
            assertThat(visibleRows()).hasSize(report.path("total_items").asInt());
            assertThat(text("#shown-count")).isEqualTo(report.path("total_items").asText());
        } finally {
            screenshot(Path.of("target", "report-page.png"));
        }
    }

    // ---- WebDriver over HTTP ------------------------------------------------------------------------------------

    private static List<String> visibleRows() throws Exception {
        List<String> statuses = new ArrayList<>();
        for (String row : elements("#items tbody tr")) {
            if (call("GET", "/session/" + session + "/element/" + row + "/displayed", null).path("value").asBoolean()) {
                statuses.add(call("GET", "/session/" + session + "/element/" + row + "/attribute/data-status", null)
                        .path("value").asText());
            }
        }
        return statuses;
    }

    private static String text(String css) throws Exception {
        return call("GET", "/session/" + session + "/element/" + element(css) + "/text", null).path("value").asText();
    }

    private static void click(String css) throws Exception {
        call("POST", "/session/" + session + "/element/" + element(css) + "/click", Json.mapper().createObjectNode());
    }

    private static String element(String css) throws Exception {
        JsonNode found = call("POST", "/session/" + session + "/element", locator(css));
        String id = found.path("value").path(ELEMENT).asText();
        assertThat(id).as("element " + css + ": " + found).isNotEmpty();
        return id;
    }

    private static List<String> elements(String css) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : call("POST", "/session/" + session + "/elements", locator(css)).path("value")) {
            ids.add(e.path(ELEMENT).asText());
        }
        return ids;
    }

    private static ObjectNode locator(String css) {
        return Json.mapper().createObjectNode().put("using", "css selector").put("value", css);
    }

    private static void screenshot(Path file) throws Exception {
        String png = call("GET", "/session/" + session + "/screenshot", null).path("value").asText();
        Files.write(file, Base64.getDecoder().decode(png));
    }

    private static JsonNode call(String method, String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json; charset=utf-8");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(Json.write(body), StandardCharsets.UTF_8));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json = Json.mapper().readTree(r.body());
        if (r.statusCode() != 200) {
            throw new AssertionError("WebDriver " + method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return json;
    }

    // ---- Chromium -----------------------------------------------------------------------------------------------

    /** Installs chromium and chromium-driver where missing, when running as root with apt-get; else skips, saying why. */
    private static void ensureChromium() throws Exception {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean apt = Files.isExecutable(Path.of("/usr/bin/apt-get"));
        assumeTrue(root && apt, "headless Chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER + ") and this test "
                + "cannot install it (" + (apt ? "not running as root" : "no apt-get") + "): install the Debian packages "
                + "chromium and chromium-driver to run it");
        String log = apt("install", "-y", "-q", "chromium", "chromium-driver");
        if (!Files.isExecutable(CHROMEDRIVER)) {
            apt("update", "-q");
            log = apt("install", "-y", "-q", "chromium", "chromium-driver");
        }
        String tail = log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "apt-get could not install chromium and chromium-driver:\n" + tail);
    }

    private static String apt(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("apt-get"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(15, TimeUnit.MINUTES);
        return out;
    }
}
