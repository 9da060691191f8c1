package io.verops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.verops.core.Json;
import io.verops.core.Phase;
import io.verops.core.Topics;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.messages.AuditMessage;
import io.verops.core.messages.VerdictMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier publishes a batch's closing gate evaluation before the last verdict, but the archiver reads the
 * audit and verdict topics independently, so the verdict can reach it first. The archiver must not write the
 * bundle until it has read the audit partition up to where it ended when the batch became complete. The test
 * hands the stage the records itself, in the unlucky order, on a real broker's offsets.
 */
class ArchiverCatchUpTest {
    static Path work;
    static EmbeddedKafka broker;
    static KafkaSettings kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "catchup-").toAbsolutePath();
        broker = EmbeddedKafka.start(work.resolve("kafka"), KafkaSettings.DEFAULT_PARTITIONS);
        kafka = new KafkaSettings(broker.bootstrapServers(), Map.of(), Topics.withDefaultPrefix(),
                KafkaSettings.DEFAULT_PARTITIONS);
        TopicSetup.ensureTopics(kafka);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBatchWhoseLastVerdictOvertakesItsGateEventIsWrittenOnlyWithTheGateEvent() throws Exception {
        SampleBatch batch = new SampleBatch("b-catchup-1", Phase.APPLY);
        Topics t = kafka.topics();
        VerdictMessage last = batch.verdicts.get(batch.verdicts.size() - 1);
        ObjectNode gate = Json.mapper().createObjectNode().put("type", "verops.gate").put("name", "failure_ratio")
                .put("threshold", "5%").put("observed", "1 of 3 (33.3%)").put("outcome", "halted")
                .put("detail", "1 of 3 items failed (33.3% > 5%)").put("after_item", last.itemId());
        try (Publisher publisher = new Publisher(kafka, "test")) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            sent.add(publisher.send(t.batchEvents(), batch.batchId, batch.accepted));
            batch.audit.forEach(a -> sent.add(publisher.send(t.audit(), batch.batchId, a)));
            batch.verdicts.subList(0, batch.verdicts.size() - 1)
                    .forEach(v -> sent.add(publisher.send(t.verdicts(), batch.batchId, v)));
            // as the verifier does: the gate event is durable before the verdict that caused it is sent
            for (java.util.concurrent.Future<?> f : sent) {
                f.get();
            }
            publisher.send(t.audit(), batch.batchId, new AuditMessage(batch.batchId, SampleBatch.OPERATION, null,
                    Phase.APPLY, 0, 0, "verops", gate, SampleBatch.T0.plusSeconds(60))).get();
            publisher.send(t.verdicts(), batch.batchId, last).get();
        }
        List<IncomingRecord> records = readAll(List.of(t.batchEvents(), t.verdicts(), t.audit(), t.control()));
        IncomingRecord gateRecord = records.stream()
                .filter(r -> r.topic().equals(t.audit()) && "verops.gate".equals(r.json().path("event").path("type").asText()))
                .findFirst().orElseThrow();

        Path reports = work.resolve("reports");
        Path bundle = reports.resolve(SampleBatch.OPERATION).resolve(batch.batchId);
        try (Publisher publisher = new Publisher(kafka, "archiver");
             ArchiverStage stage = new ArchiverStage(reports, publisher, Clock.systemUTC(),
                     SampleBatch.context(work.resolve("keys")))) {
            Map<TopicPartition, Long> positions = new HashMap<>();
            for (IncomingRecord r : records) {
                if (r != gateRecord) {
                    stage.handle(r);
                    positions.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
                }
            }
            TopicPartition gatePartition = new TopicPartition(gateRecord.topic(), gateRecord.partition());
            positions.put(gatePartition, gateRecord.offset()); // read up to, not including, the gate event
            stage.caughtUp(positions);
            assertThat(bundle).as("every verdict is in, but the audit partition is not read to its end yet")
                    .doesNotExist();

            stage.handle(gateRecord);
            positions.put(gatePartition, gateRecord.offset() + 1);
            stage.caughtUp(positions);
        }
        assertThat(bundle.resolve(Manifest.FILE)).exists();
        assertThat(Files.readString(bundle.resolve("audit.jsonl"))).contains("verops.gate")
                .contains("1 of 3 items failed (33.3% > 5%)");
        BundleVerifier.Result r = BundleVerifier.verify(bundle, null);
        assertThat(r.ok()).as(r.message()).isTrue();
    }

    private static List<IncomingRecord> readAll(List<String> topics) {
        Properties p = kafka.baseProperties();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("isolation.level", "read_committed");
        List<IncomingRecord> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo pi : c.partitionsFor(topic, Duration.ofSeconds(30))) {
                    parts.add(new TopicPartition(topic, pi.partition()));
                }
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    out.add(new IncomingRecord(r.topic(), r.partition(), r.offset(), r.key(),
                            Json.mapper().readTree(r.value()), Map.of()));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
