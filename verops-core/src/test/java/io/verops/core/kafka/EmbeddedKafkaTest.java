package io.verops.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded broker's durability: every verops topic forces each append to disk before it is acknowledged, the
 * consumer offsets topic (whose loss only redelivers) leaves it to the OS, and both survive a restart on the same data.
 */
class EmbeddedKafkaTest {
    private static final String OFFSETS = "__consumer_offsets";

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
    void verOpsTopicsFlushEveryAppendWhileTheOffsetsTopicDoesNotAlsoAfterARestart() throws Exception {
        broker = EmbeddedKafka.start(dir.resolve("kafka"), 1);
        KafkaSettings settings = KafkaSettings.local(broker.bootstrapServers());
        TopicSetup.ensureTopics(settings);
        String executions = settings.topics().executions();

        Map<String, String> flush = flushMessages(List.of(OFFSETS, executions, settings.topics().results()));
        assertThat(flush).containsEntry(OFFSETS, Long.toString(Long.MAX_VALUE))
                .containsEntry(executions, "1")
                .containsEntry(settings.topics().results(), "1");

        EmbeddedKafka stopped = broker;
        broker = null;
        stopped.close();
        broker = stopped.startAgain();
        assertThat(flushMessages(List.of(OFFSETS, executions)))
                .containsEntry(OFFSETS, Long.toString(Long.MAX_VALUE))
                .containsEntry(executions, "1");
    }

    private Map<String, String> flushMessages(List<String> topics) throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            List<ConfigResource> resources = topics.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, String> flush = new java.util.HashMap<>();
            configs.forEach((resource, config) -> flush.put(resource.name(), config.get("flush.messages").value()));
            return flush;
        }
    }
}
