package io.verops.core.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in this JVM, on 127.0.0.1.
 * Its log folder may persist across runs: an already formatted folder is reused, so batches awaiting a
 * decision survive the process. Needs {@code kafka_2.13} and {@code kafka-server} on the classpath.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final String CLUSTER_ID = "dmVyb3BzLWxvY2FsLTAx";

    private final Path logDir;
    private final int port;
    private final int controllerPort;
    private final int partitions;
    private final KafkaRaftServer server;

    private EmbeddedKafka(Path logDir, int port, int controllerPort, int partitions, KafkaRaftServer server) {
        this.logDir = logDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.partitions = partitions;
        this.server = server;
    }

    /** Starts a broker whose data lives in {@code logDir} (created, and formatted when new). */
    public static EmbeddedKafka start(Path logDir, int partitions) {
        Objects.requireNonNull(logDir, "logDir == null");
        try {
            return start(logDir, partitions, freePort(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port for the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a new broker where this one ran, after {@link #close()}: the same port, controller port and data, so
     * that clients that knew it reconnect to it (a broker stop and start, as tests of readiness need). Fails when the
     * port has been taken meanwhile.
     */
    public EmbeddedKafka startAgain() {
        return start(logDir, partitions, port, controllerPort);
    }

    private static EmbeddedKafka start(Path logDir, int partitions, int port, int controllerPort) {
        try {
            Files.createDirectories(logDir);
            Map<String, Object> props = new HashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", logDir.toAbsolutePath().toString());
            props.put("num.partitions", Integer.toString(partitions));
            props.put("auto.create.topics.enable", "false");
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "4");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            // every append forced to disk before it is acknowledged: an acknowledged STARTED record, result or verdict
            // survives a crash of the machine, not only of the process (the consumer offsets are the exception, below)
            props.put("log.flush.interval.messages", "1");
            props.put("log.message.timestamp.type", "LogAppendTime");
            KafkaConfig config = new KafkaConfig(props, false);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                new Formatter()
                        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                        .setNodeId(1)
                        .setClusterId(CLUSTER_ID)
                        .setDirectories(java.util.List.of(logDir.toAbsolutePath().toString()))
                        .setMetadataLogDirectory(logDir.toAbsolutePath().toString())
                        .setReleaseVersion(MetadataVersion.latestProduction())
                        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                        .setControllerListenerName("CONTROLLER")
                        .setIgnoreFormatted(true)
                        .run();
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            EmbeddedKafka broker = new EmbeddedKafka(logDir, port, controllerPort, partitions, server);
            try {
                broker.offsetsWithoutForcedFlush();
            } catch (Exception e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + logDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The consumer offsets topic is the one topic whose appends are left to the OS to write out: an offset is
     * committed only after the records its stage wrote were acknowledged, so those are on disk first, and an
     * offset lost in a crash of the machine only redelivers records, which every stage takes again as after a crash
     * of the process (docs/execution.md#durability). It is about half the appends, each of which would otherwise
     * wait for the disk. The topic is created here (a group lookup creates it) so that its setting is in place
     * before any stage commits; the setting is kept in the broker's metadata, so this is a no-op on a restart.
     */
    private void offsetsWithoutForcedFlush() throws Exception {
        ConfigResource offsets = new ConfigResource(ConfigResource.Type.TOPIC, "__consumer_offsets");
        AlterConfigOp noFlush = new AlterConfigOp(
                new ConfigEntry("flush.messages", Long.toString(Long.MAX_VALUE)), AlterConfigOp.OpType.SET);
        Map<ConfigResource, Collection<AlterConfigOp>> noForcedFlush = Map.of(offsets, List.of(noFlush));
        try (Admin admin = Admin.create(clientProperties())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    admin.describeConsumerGroups(List.of("verops-embedded-setup")).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                        throw e;
                    }
                }
                try {
                    admin.incrementalAlterConfigs(noForcedFlush).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    boolean creating = e.getCause() instanceof UnknownTopicOrPartitionException;
                    if (!creating || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50); // the offsets topic is still being created
                }
            }
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logDir() {
        return logDir;
    }

    /** Client properties that reach this broker. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers());
        return p;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
