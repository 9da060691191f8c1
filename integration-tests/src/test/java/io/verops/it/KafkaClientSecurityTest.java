package io.verops.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.verops.core.Topics;
import io.verops.core.kafka.EndOffsets;
import io.verops.core.kafka.KafkaProbe;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.executor.BatchStateView;
import io.verops.ingest.AcceptedBatchIds;
import io.verops.verifier.internal.BatchView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code verops.kafka.client.*} reaches every Kafka client the services create: producers, stage consumers, the
 * views, the admin clients of topic set-up, end offsets and readiness. Each client is built from settings carrying
 * SASL_SSL and the properties that go with it; a metrics reporter (itself a pass-through property, so it is only
 * there when the pass-through is) records what the client was configured with and then stops the construction,
 * before any connection.
 */
class KafkaClientSecurityTest {
    private static final Map<String, String> SECURITY = Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"verops\" password=\"it-only\";",
            "ssl.truststore.type", "PEM",
            "ssl.endpoint.identification.algorithm", "https");

    interface Client {
        void build(KafkaSettings settings) throws Exception;
    }

    static Stream<Arguments> clients() {
        // a dead-letter publisher for the stage loop, made without the recording reporter
        KafkaSettings plain = KafkaSettings.local("127.0.0.1:9");
        return Stream.of(
                Arguments.of("Publisher (producer of every stage)", (Client) s -> new Publisher(s, "it").close()),
                Arguments.of("StageLoop (consumer of every stage)", (Client) s -> {
                    try (Publisher deadLetters = new Publisher(plain, "it-dead-letters")) {
                        new StageLoop("it", s, "it-group", List.of("verops.items"), r -> { }, 1, deadLetters, false);
                    }
                }),
                Arguments.of("TopicSetup (admin creating topics)", (Client) TopicSetup::ensureTopics),
                Arguments.of("EndOffsets (admin of the archiver)", (Client) s -> new EndOffsets(s, "it").close()),
                Arguments.of("KafkaProbe (admin of readiness)", (Client) s -> {
                    try (KafkaProbe probe = new KafkaProbe(s, "it")) {
                        assertThat(probe.check().up()).isFalse();
                    }
                }),
                Arguments.of("BatchStateView (executor's consumer of control and executions)",
                        (Client) s -> new BatchStateView(s).close()),
                Arguments.of("BatchView (verifier's consumer of batch-events, verdicts, control)",
                        (Client) s -> new BatchView(s).close()),
                Arguments.of("AcceptedBatchIds (ingest's consumer of batch-events)",
                        (Client) s -> new AcceptedBatchIds(s).close()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void theClientIsConfiguredWithTheSecurityPropertiesPassedThrough(String name, Client client) {
        Map<String, String> pass = new HashMap<>(SECURITY);
        pass.put("metric.reporters", RecordingReporter.class.getName());
        KafkaSettings settings = new KafkaSettings("127.0.0.1:9093", pass, Topics.withDefaultPrefix(), 4);
        RecordingReporter.CONFIGS.clear();

        try {
            client.build(settings);
        } catch (Exception | AssertionError stoppedByTheReporter) {
            // expected: the reporter refuses to let the client go on once it has seen its configuration
        }

        List<Map<String, Object>> configs = new ArrayList<>(RecordingReporter.CONFIGS);
        assertThat(configs).as("%s made a Kafka client with the pass-through properties", name).isNotEmpty();
        assertThat(configs).allSatisfy(c -> {
            assertThat(c).containsEntry("bootstrap.servers", (Object) "127.0.0.1:9093");
            SECURITY.forEach((k, v) -> assertThat(c).as("%s of %s", k, c.get("client.id")).containsEntry(k, (Object) v));
        });
    }

    /** Records the configuration of every client that instantiates it, then refuses to let the client start. */
    public static final class RecordingReporter implements MetricsReporter {
        static final List<Map<String, Object>> CONFIGS = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void configure(Map<String, ?> configs) {
            CONFIGS.add(java.util.Collections.unmodifiableMap(new HashMap<String, Object>(configs)));
            throw new ConfigException("verops test: the configuration is recorded; this client is not started");
        }

        @Override
        public void init(List<KafkaMetric> metrics) {
        }

        @Override
        public void metricChange(KafkaMetric metric) {
        }

        @Override
        public void metricRemoval(KafkaMetric metric) {
        }

        @Override
        public void close() {
        }
    }
}
