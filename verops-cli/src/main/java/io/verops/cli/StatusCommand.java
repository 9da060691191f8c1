package io.verops.cli;

import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.BatchEvent;
import io.verops.core.operation.OperationCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code verops status [BATCH-ID]}: where the local mode's batches stand. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the batches of the local mode and where each stands (dry run, awaiting approval, applying, "
                + "done, halted, rejected), with counts.")
public final class StatusCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BATCH-ID", description = "one batch only")
    String batchId;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path home = VeropsHome.resolve();
        OperationCatalog catalog = LocalSession.catalog(home);
        Path data = home.resolve("var/kafka");
        if (!Files.exists(data.resolve("meta.properties"))) {
            if (batchId != null) {
                throw new Main.UsageException("no batch '" + batchId + "' is known here (no local data yet)");
            }
            out.println("no batches yet");
            return ExitCodes.OK;
        }
        Map<String, BatchLedger.Entry> entries;
        try (EmbeddedKafka broker = EmbeddedKafka.start(data, KafkaSettings.DEFAULT_PARTITIONS)) {
            KafkaSettings kafka = KafkaSettings.local(broker.bootstrapServers());
            TopicSetup.ensureTopics(kafka);
            entries = BatchLedger.read(kafka);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("lock") || (e.getCause() != null
                    && String.valueOf(e.getCause().getMessage()).contains("lock"))) {
                throw new Main.UsageException("another verops process is using var/kafka; try again when it is done");
            }
            throw e;
        }
        if (batchId != null) {
            BatchLedger.Entry e = entries.get(batchId);
            if (e == null) {
                throw new Main.UsageException("no batch '" + batchId + "' is known here");
            }
            entries = Map.of(batchId, e);
        }
        out.printf("%-26s %-20s %-18s %6s %6s %6s %6s %6s %6s%n", "BATCH", "OPERATION", "STAGE", "ROWS", "OK",
                "FAILED", "SKIP", "INPUT", "INDET");
        for (BatchLedger.Entry e : entries.values()) {
            boolean applyEnabled = catalog.find(e.operation).map(o -> o.apply().enabled()).orElse(true);
            BatchEvent c = e.latestCompleted();
            Map<String, Integer> n = c == null ? Map.of() : c.counts();
            int rows = e.dryAccepted == null ? 0 : e.dryAccepted.totalItems();
            out.printf("%-26s %-20s %-18s %6d %6s %6s %6s %6s %6s%n", e.batchId, e.operation, e.stage(applyEnabled),
                    rows, n.getOrDefault("success", null) == null ? "-" : n.get("success"),
                    c == null ? "-" : n.get("failure"), c == null ? "-" : n.get("skipped"),
                    c == null ? "-" : n.get("needs_input"), c == null ? "-" : n.get("indeterminate"));
            if (batchId != null) {
                if (e.dryCompleted != null) {
                    out.println("dry-run bundle: " + e.dryCompleted.bundle());
                }
                if (e.applyCompleted != null) {
                    out.println("apply bundle:   " + e.applyCompleted.bundle());
                }
                if (e.decision != null) {
                    out.println("decision: " + e.decision.type().name().toLowerCase() + " by " + e.decision.actor()
                            + " at " + e.decision.at() + (e.decision.reason() == null ? "" : " (" + e.decision.reason() + ")"));
                }
                if (e.halt != null) {
                    out.println("halted by " + e.halt.actor() + ": " + e.halt.reason());
                }
            }
        }
        return ExitCodes.OK;
    }

}
