package io.verops.ingest.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.verops.ingest.IngestStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /** {@code verops.ingest.*}: the batches topic's requests. */
    Ingest ingest();

    interface Ingest {
        /** The folder whose files a request on the batches topic may name ({@code file}); unset: none. */
        Optional<Path> requestFilesDir();

        /** The largest batch file a request may name, in bytes. */
        @WithDefault("67108864")
        long requestFileMaxBytes();

        /** The largest accepted event (serialised) ingest publishes; a batch whose event is larger is refused. */
        @WithDefault("" + IngestStage.DEFAULT_MAX_ACCEPTED_EVENT_BYTES)
        int maxAcceptedEventBytes();
    }

    AuthConfig auth();

    /** Every problem of the configuration, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>(kafka().problems());
        problems.addAll(auth().settings().problems());
        if (!Files.isDirectory(operationsDir())) {
            problems.add("verops.operations-dir: " + operationsDir().toAbsolutePath().normalize()
                    + " is not a folder (set verops.home to the folder holding operations/, or verops.operations-dir)");
        }
        Optional<Path> requestFiles = ingest().requestFilesDir();
        if (requestFiles.isPresent() && !Files.isDirectory(requestFiles.get())) {
            problems.add("verops.ingest.request-files-dir: " + requestFiles.get().toAbsolutePath().normalize()
                    + " is not a folder (create it, or leave the key unset so that requests naming a file are refused)");
        }
        if (ingest().requestFileMaxBytes() < 1) {
            problems.add("verops.ingest.request-file-max-bytes: must be at least 1 (found "
                    + ingest().requestFileMaxBytes() + ")");
        }
        int maxEvent = ingest().maxAcceptedEventBytes();
        if (maxEvent < 1024 || maxEvent > IngestStage.DEFAULT_MAX_ACCEPTED_EVENT_BYTES) {
            problems.add("verops.ingest.max-accepted-event-bytes: must be between 1024 and "
                    + IngestStage.DEFAULT_MAX_ACCEPTED_EVENT_BYTES + " (found " + maxEvent + "); lower it only when "
                    + "the cluster's batch-events topic takes smaller messages (its max.message.bytes, less 65536)");
        }
        return problems;
    }
}
