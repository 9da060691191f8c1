package io.verops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * When the executor itself cannot run an item (here: its work folder cannot be created), the item still gets a
 * result with the reason, and the batch completes: nothing hangs, nothing is dropped.
 */
class ExecutorCannotRunTest {
    @Test
    void itemsTheExecutorCannotRunFailWithTheReasonAndTheBatchCompletes() throws Exception {
        Path home = CliRun.homeWithoutFailureGate("user-provisioning");
        Files.createDirectories(home.resolve("var"));
        Files.writeString(home.resolve("var/work"), "a file where the executor wants its work folder\n");

        CliRun r = CliRun.runIn(home, "run", "--operation", "user-provisioning", "--input",
                home.resolve("examples/batches/users.csv").toString(), "--yes");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        Path apply = r.bundle();
        Path dry = apply.resolveSibling(apply.getFileName() + ".dry-run");
        JsonNode report = Json.mapper().readTree(dry.resolve("report.json").toFile());
        assertThat(report.path("failed").asInt()).isEqualTo(8);
        assertThat(report.path("needs_input").asInt()).isEqualTo(2);
        for (JsonNode e : report.path("results")) {
            if (e.path("status").asText().equals("failure")) {
                assertThat(e.path("message").asText()).contains("the executor could not run the item");
            }
        }
        JsonNode applied = Json.mapper().readTree(apply.resolve("report.json").toFile());
        assertThat(applied.path("succeeded").asInt()).as("nothing that failed its dry run is applied").isZero();
    }
}
