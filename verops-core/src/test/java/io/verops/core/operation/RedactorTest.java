package io.verops.core.operation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret fields' values never reach evidence: every place they appear in text or JSON is masked. */
class RedactorTest {
    @TempDir
    static Path dir;
    static Operation op;

    /** user-provisioning with an extra optional secret field, {@code initial_password}. */
    @BeforeAll
    static void operation() throws Exception {
        Path ops = Path.of(System.getProperty("verops.root", "..")).resolve("operations/user-provisioning");
        Path copy = Files.createDirectories(dir.resolve("user-provisioning"));
        try (var files = Files.list(ops)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path def = copy.resolve("operation.json");
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(def.toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("fields")).addObject()
                .put("name", "initial_password").put("type", "string").put("required", false).put("secret", true);
        Files.writeString(def, Json.mapper().writeValueAsString(json));
        op = OperationCatalog.load(dir).require("user-provisioning");
    }

    @Test
    void aSecretValueIsMaskedInsideEveryStringAndKeyOfAnEvent() throws Exception {
        Redactor r = Redactor.of(op, Map.of("email", "ann@example.com", "initial_password", "S3cr3t-pa55"));
        JsonNode event = Json.mapper().readTree("""
                {"type":"item.completed","item":{"type":"command_execution",
                 "command":"sqlite3 db \\"INSERT INTO users VALUES('ann@example.com','S3cr3t-pa55')\\"",
                 "aggregated_output":"ok S3cr3t-pa55\\nS3cr3t-pa55","exit_code":0,"S3cr3t-pa55":["S3cr3t-pa55", 7]}}""");

        JsonNode masked = r.json(event);

        assertThat(masked.toString()).doesNotContain("S3cr3t-pa55").contains("VALUES('ann@example.com','***')")
                .contains("\"aggregated_output\":\"ok ***\\n***\"").contains("\"***\":[\"***\",7]")
                .contains("\"exit_code\":0");
        assertThat(event.toString()).as("the input is left as it was").contains("S3cr3t-pa55");
        assertThat(r.text("password S3cr3t-pa55 set")).isEqualTo("password *** set");
        assertThat(r.fields(Map.of("email", "ann@example.com", "initial_password", "S3cr3t-pa55")))
                .containsEntry("initial_password", "***").containsEntry("email", "ann@example.com");
    }

    @Test
    void aShortSecretIsMaskedAsAWholeValueButNotHuntedInsideText() {
        Redactor r = Redactor.of(op, Map.of("email", "ann@example.com", "initial_password", "1"));
        assertThat(r.text("1")).isEqualTo("***");
        assertThat(r.text("inserted 1 row")).isEqualTo("inserted 1 row");
    }

    @Test
    void anOperationWithoutSecretsChangesNothing() throws Exception {
        Operation plain = OperationCatalog.load(Path.of(System.getProperty("verops.root", "..")).resolve("operations"))
                .require("user-provisioning");
        Redactor r = Redactor.of(plain, Map.of("email", "ann@example.com"));
        assertThat(r.active()).isFalse();
        JsonNode e = Json.mapper().readTree("{\"a\":\"ann@example.com\"}");
        assertThat(r.json(e)).isSameAs(e);
    }
}
