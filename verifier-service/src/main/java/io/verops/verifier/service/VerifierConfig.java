package io.verops.verifier.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The verifier service's settings; docs/services.md lists them. */
@ConfigMapping(prefix = "verops")
public interface VerifierConfig {
    /** The verops home: the folder holding {@code operations/}. */
    @WithDefault(".")
    Path home();

    /** The operation definitions (output schemas and post-conditions). */
    @WithDefault("${verops.home}/operations")
    Path operationsDir();

    KafkaConfig kafka();

    /**
     * Per operation, a target database that replaces the operation's own: {@code verops.target-db.<operation>=FILE},
     * the same key as the executor's, so that the post-conditions run on the database the executor changed.
     */
    Map<String, Path> targetDb();

    Verifier verifier();

    /** The verifier's own keys, {@code verops.verifier.*}. */
    interface Verifier {
        /**
         * Results judged at once: each waits on its catch-up, post-condition queries and verdict's ack, so a
         * verifier with fewer workers than the executors' codex slots queues the results that finish together.
         */
        @WithDefault("4")
        int concurrency();
    }

    /** Every problem of the configuration, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>(kafka().problems());
        if (verifier().concurrency() < 1) {
            problems.add("verops.verifier.concurrency: must be at least 1 (found " + verifier().concurrency()
                    + "); set it to the executors' codex processes at once, e.g. 4");
        }
        if (!Files.isDirectory(operationsDir())) {
            problems.add("verops.operations-dir: " + operationsDir().toAbsolutePath().normalize()
                    + " is not a folder (set verops.home to the folder holding operations/, or verops.operations-dir)");
        }
        return problems;
    }
}
