package io.verops.ingest.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The ingest service's settings; docs/services.md lists them. */
@ConfigMapping(prefix = "verops")
public interface IngestConfig {
    /** The verops home: the folder holding {@code operations/}. */
    @WithDefault(".")
    Path home();

    /** The operation definitions. */
    @WithDefault("${verops.home}/operations")
    Path operationsDir();

    KafkaConfig kafka();

    AuthConfig auth();

    /** Every problem of the configuration, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>(kafka().problems());
        problems.addAll(auth().settings().problems());
        if (!Files.isDirectory(operationsDir())) {
            problems.add("verops.operations-dir: " + operationsDir().toAbsolutePath().normalize()
                    + " is not a folder (set verops.home to the folder holding operations/, or verops.operations-dir)");
        }
        return problems;
    }
}
