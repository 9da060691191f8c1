package io.verops.archiver.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The archiver service's settings; docs/services.md lists them. */
@ConfigMapping(prefix = "verops")
public interface ArchiverConfig {
    /** The verops home. */
    @WithDefault(".")
    Path home();

    KafkaConfig kafka();

    Archiver archiver();

    /** {@code verops.archiver.*}. */
    interface Archiver {
        /** Where evidence bundles are written: {@code <reports-dir>/<operation>/<batch-id>/}. */
        @WithDefault("${verops.home}/reports")
        Path reportsDir();
    }

    /** Every problem of the configuration, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>(kafka().problems());
        Path reports = archiver().reportsDir().toAbsolutePath().normalize();
        if (Files.exists(reports) && !Files.isDirectory(reports)) {
            problems.add("verops.archiver.reports-dir: " + reports + " is a file, not a folder");
        }
        return problems;
    }
}
