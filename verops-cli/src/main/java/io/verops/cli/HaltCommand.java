package io.verops.cli;

import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.ControlMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verops halt BATCH-ID}: stop new work on a batch; its remaining items end skipped with the reason. */
@Command(name = "halt", mixinStandardHelpOptions = true,
        description = "Halt a batch of the local mode: no new item of it starts; the remaining ones end skipped with "
                + "the reason. Other batches go on.")
public final class HaltCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BATCH-ID")
    String batchId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (recorded in the evidence)")
    String reason;

    @Override
    public Integer call() throws Exception {
        Path home = VeropsHome.resolve();
        Path address = LocalSession.brokerFile(home);
        if (Files.exists(address)) {
            // a verops process is running: halt through its broker, so that it stops at once
            KafkaSettings kafka = KafkaSettings.local(Files.readString(address).trim());
            try {
                publish(kafka);
                return ExitCodes.OK;
            } catch (RuntimeException e) {
                // stale address: fall through and start the broker here
            }
        }
        try (EmbeddedKafka broker = EmbeddedKafka.start(home.resolve("var/kafka"), KafkaSettings.DEFAULT_PARTITIONS)) {
            KafkaSettings kafka = KafkaSettings.local(broker.bootstrapServers());
            TopicSetup.ensureTopics(kafka);
            publish(kafka);
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("lock")) {
                throw new Main.UsageException("another verops process is using var/kafka; try again");
            }
            throw e;
        }
        return ExitCodes.OK;
    }

    private void publish(KafkaSettings kafka) {
        if (!BatchLedger.read(new KafkaSettings(kafka.bootstrapServers(), Map.of("default.api.timeout.ms", "8000",
                "request.timeout.ms", "5000"), kafka.topics(), kafka.partitions())).containsKey(batchId)) {
            throw new Main.UsageException("no batch '" + batchId + "' is known here (see verops status)");
        }
        try (Publisher p = new Publisher(kafka, "cli")) {
            ControlMessage m = new ControlMessage(ControlMessage.Type.HALTED, batchId, null, null,
                    LocalSession.osUser(), reason == null ? "halted by an operator" : reason, null, Instant.now());
            Publisher.await(List.of(p.send(kafka.topics().control(), batchId, m)));
        }
        spec.commandLine().getOut().println("batch " + batchId + " halted");
    }
}
