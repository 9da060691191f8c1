package io.verops.archiver.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Quarkus side of authentication is kept in each service that has an HTTP API (ingest and archiver); the
 * decisions are verops-core's. The copies must not drift apart: they differ in their package and the name of the
 * service's configuration only.
 */
class AuthGlueTest {
    private static final Path ROOT = Path.of(System.getProperty("verops.root", "..")).toAbsolutePath().normalize();

    @Test
    void theArchiversAuthenticationGlueIsTheSameAsIngests() throws Exception {
        for (String file : List.of("AuthConfig.java", "ApiKeyMechanism.java", "AuthErrors.java")) {
            String ingest = Files.readString(ROOT.resolve("ingest-service/src/main/java/io/verops/ingest/service/" + file))
                    .replace("package io.verops.ingest.service;", "package io.verops.archiver.service;")
                    .replace("IngestConfig", "ArchiverConfig");
            String archiver = Files.readString(
                    ROOT.resolve("archiver-service/src/main/java/io/verops/archiver/service/" + file));
            assertThat(archiver).as("archiver-service's %s, against ingest-service's", file).isEqualTo(ingest);
        }
    }
}
