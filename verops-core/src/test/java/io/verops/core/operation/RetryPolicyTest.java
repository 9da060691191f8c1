package io.verops.core.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryPolicyTest {
    @Test
    void theBackoffGrowsByTheFactorIsCappedAndCarriesTheJitter() {
        Operation.Retry r = new Operation.Retry(1000, 2.0, 3000);
        assertThat(r.backoff(1, 1.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(r.backoff(2, 1.0)).isEqualTo(Duration.ofMillis(2000));
        assertThat(r.backoff(3, 1.0)).isEqualTo(Duration.ofMillis(3000));
        assertThat(r.backoff(2, 0.5)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void theRepositorysUserProvisioningDeclaresItsBackoff() {
        Path ops = Path.of(System.getProperty("verops.root", "..")).resolve("operations");
        Operation op = OperationCatalog.load(ops).require("user-provisioning");
        assertThat(op.retry()).isEqualTo(new Operation.Retry(1000, 2.0, 30000));
    }

    @Test
    void aBackoffThatMakesNoSenseIsRefusedAtLoadNamingTheFileAndKey(@TempDir Path dir) throws Exception {
        Path ops = Path.of(System.getProperty("verops.root", "..")).resolve("operations/user-provisioning");
        Path copy = Files.createDirectories(dir.resolve("user-provisioning"));
        try (var files = Files.list(ops)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path def = copy.resolve("operation.json");
        Files.writeString(def, Files.readString(def).replace("\"retry\": {\"base_ms\": 1000, \"factor\": 2.0, \"cap_ms\": 30000}",
                "\"retry\": {\"base_ms\": 5000, \"factor\": 0.5, \"cap_ms\": 100}"));
        assertThatThrownBy(() -> OperationCatalog.load(dir))
                .isInstanceOf(OperationDefinitionException.class)
                .hasMessageContaining("operation.json: retry.factor must be at least 1 (found 0.5)")
                .hasMessageContaining("retry.cap_ms must be at least retry.base_ms (found 100 < 5000)");
    }
}
