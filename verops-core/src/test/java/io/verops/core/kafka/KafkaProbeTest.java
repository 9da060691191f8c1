package io.verops.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness against the real in-process broker: down while it is stopped or a topic is missing, up again after. */
class KafkaProbeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private EmbeddedKafka broker;

    @AfterEach
    void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readinessGoesDownWhileTheBrokerIsStoppedAndUpWhenItIsBackOnTheSamePort() {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 1);
        KafkaSettings settings = KafkaSettings.local(broker.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        try (KafkaProbe probe = new KafkaProbe(settings, "test")) {
            await().atMost(PATIENCE).until(() -> probe.check().up());
            assertThat(probe.check().data()).containsEntry("bootstrap_servers", broker.bootstrapServers())
                    .doesNotContainKey("reason");

            EmbeddedKafka stopped = broker;
            broker = null;
            stopped.close();
            KafkaProbe.Readiness down = await().atMost(PATIENCE).until(probe::check, r -> !r.up());
            assertThat(down.reason()).startsWith("Kafka at " + stopped.bootstrapServers() + " unreachable: ");
            assertThat(down.data()).containsEntry("bootstrap_servers", stopped.bootstrapServers());

            broker = stopped.startAgain();
            assertThat(broker.bootstrapServers()).isEqualTo(stopped.bootstrapServers());
            await().atMost(PATIENCE).until(() -> probe.check().up());
        }
    }

    @Test
    void readinessIsDownWhileOneOfTheTopicsIsMissingNamingIt() throws Exception {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 1);
        KafkaSettings settings = KafkaSettings.local(broker.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        try (KafkaProbe probe = new KafkaProbe(settings, "test");
             Admin admin = Admin.create(broker.clientProperties())) {
            await().atMost(PATIENCE).until(() -> probe.check().up());

            String verdicts = settings.topics().verdicts();
            admin.deleteTopics(List.of(verdicts)).all().get(30, TimeUnit.SECONDS);
            KafkaProbe.Readiness down = await().atMost(PATIENCE).until(probe::check, r -> !r.up());
            assertThat(down.missingTopics()).containsExactly(verdicts);
            assertThat(down.data()).containsEntry("missing_topics", verdicts)
                    .containsEntry("reason", "topics missing on " + broker.bootstrapServers() + ": " + verdicts);

            TopicSetup.ensureTopics(settings);
            await().atMost(PATIENCE).until(() -> probe.check().up());
        }
    }

    @Test
    void beforeTheServiceHasStartedReadinessIsDownAsStarting() {
        assertThat(KafkaProbe.Readiness.starting().up()).isFalse();
        assertThat(KafkaProbe.Readiness.starting().data()).containsExactlyEntriesOf(java.util.Map.of("reason", "starting"));
    }

    @Test
    void theProbeTakesTheServicesClientPropertiesAndItsOwnTimeouts() {
        KafkaSettings settings = new KafkaSettings("kafka-1:9093", java.util.Map.of("security.protocol", "SASL_SSL",
                "request.timeout.ms", "60000"), io.verops.core.Topics.withDefaultPrefix(), 4);
        try (KafkaProbe probe = new KafkaProbe(settings, "ingest")) {
            assertThat(probe.adminProperties()).containsEntry("bootstrap.servers", "kafka-1:9093")
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("client.id", "verops-ingest-health")
                    .containsEntry("request.timeout.ms", "2000");
        }
    }
}
