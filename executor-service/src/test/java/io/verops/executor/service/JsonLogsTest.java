package io.verops.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.verops.core.Json;
import io.verops.executor.ExecutorStage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The service's log lines are JSON objects carrying the MDC: a line logged while a record is handled names its
 * trace, span, batch and item. The JSON formatter is the one production uses on the console, here on a file.
 */
@QuarkusTest
@TestProfile(JsonLogsTest.JsonToFile.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = true)
class JsonLogsTest {
    static final Path LOG = Path.of("target", "json-logs", "executor.log").toAbsolutePath();

    /** The test profile, with the log also written to a file through the JSON formatter. */
    public static class JsonToFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.json.enabled", "true");
        }
    }

    @Test
    void aLineLoggedWhileARecordIsHandledIsJsonWithItsTraceSpanBatchAndItem() throws IOException {
        String marker = "json-logs-test-" + UUID.randomUUID();
        Logger log = LoggerFactory.getLogger(ExecutorStage.class);
        MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        MDC.put("spanId", "00f067aa0ba902b7");
        MDC.put("batchId", "b-20260601-101500-3f9a2c");
        MDC.put("itemId", "bob@example.com");
        try {
            log.info("item {} of batch {}: {}", "bob@example.com", "b-20260601-101500-3f9a2c", marker);
        } finally {
            MDC.clear();
        }
        log.info("outside any record: {}", marker);

        List<JsonNode> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).map(JsonLogsTest::parse).toList();
        assertThat(lines).as("every line of %s is a JSON object", LOG).allMatch(JsonNode::isObject);

        JsonNode inside = lines.stream().filter(l -> l.path("message").asText().endsWith(": " + marker)
                && l.path("message").asText().startsWith("item ")).findFirst().orElseThrow();
        assertThat(inside.path("message").asText())
                .isEqualTo("item bob@example.com of batch b-20260601-101500-3f9a2c: " + marker);
        assertThat(inside.path("level").asText()).isEqualTo("INFO");
        assertThat(inside.path("loggerName").asText()).isEqualTo(ExecutorStage.class.getName());
        assertThat(inside.path("timestamp").asText()).isNotBlank();
        JsonNode mdc = inside.path("mdc");
        assertThat(mdc.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(mdc.path("spanId").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(mdc.path("batchId").asText()).isEqualTo("b-20260601-101500-3f9a2c");
        assertThat(mdc.path("itemId").asText()).isEqualTo("bob@example.com");

        JsonNode outside = lines.stream().filter(l -> l.path("message").asText().equals("outside any record: " + marker))
                .findFirst().orElseThrow();
        assertThat(outside.path("mdc").path("batchId").isMissingNode() || outside.path("mdc").path("batchId").isNull())
                .as("no batch outside a record: %s", outside).isTrue();
    }

    private static JsonNode parse(String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }
}
