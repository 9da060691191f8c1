package io.verops.core.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates verops' topics where they are missing (used by the local mode and by services that may). */
public final class TopicSetup {
    private TopicSetup() {
    }

    public static void ensureTopics(KafkaSettings settings) {
        Properties p = settings.baseProperties();
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : settings.topics().all()) {
                if (!existing.contains(t)) {
                    NewTopic nt = new NewTopic(t, settings.partitions(), (short) 1);
                    if (t.equals(settings.topics().executions())) {
                        nt.configs(java.util.Map.of("cleanup.policy", "compact"));
                    }
                    missing.add(nt);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics on " + settings.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The topics of verops that do not exist on the cluster (empty when all do). */
    public static List<String> missingTopics(Admin admin, KafkaSettings settings) throws Exception {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        return settings.topics().all().stream().filter(t -> !existing.contains(t)).toList();
    }
}
