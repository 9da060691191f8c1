package io.verops.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options of the commands that run the local pipeline (run, approve, reject). */
public final class PipelineOptions {
    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports", description = "where bundles go (default: ${DEFAULT-VALUE})")
    Path reports;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "codex processes at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--codex-nice", paramLabel = "N", defaultValue = "10", description = "CPU niceness of the codex processes, 0 to 19 (default: ${DEFAULT-VALUE})")
    int codexNice;

    @Option(names = "--target-db", paramLabel = "FILE", description = "the SQLite target instead of the operation's default")
    Path targetDb;

    @Option(names = "--sim", description = "use codex-sim even when OPENAI_API_KEY is set")
    boolean forceSim;

    @Option(names = "--sim-latency-ms", paramLabel = "MS", defaultValue = "0", description = "codex-sim: delay per model turn")
    long simLatencyMs;

    @Option(names = "--sim-fault", paramLabel = "SPEC", description = "codex-sim: inject a fault, e.g. off-schema:item=bob@example.com (repeatable)")
    List<String> simFaults = new ArrayList<>();

    @Option(names = "--item-timeout", paramLabel = "SECONDS", description = "wall-clock limit per item, instead of the operation's own")
    Long itemTimeoutSeconds;

    @Option(names = "--timeout-minutes", paramLabel = "MIN", defaultValue = "60", description = "give up waiting for the batch after this long")
    long timeoutMinutes;

    @Option(names = "--verbose", description = "log what the stages do, and show stack traces")
    boolean verbose;
}
