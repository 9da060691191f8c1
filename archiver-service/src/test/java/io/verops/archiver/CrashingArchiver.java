package io.verops.archiver;

import io.verops.core.Topics;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * An archiver process that dies (Runtime.halt: no finally blocks, no shutdown hooks, like a kill -9 or a power
 * cut) the moment it starts writing a given file of a bundle. Run by {@link ArchiverCrashTest} in its own JVM.
 *
 * <p>Arguments: bootstrap servers, reports folder, key folder, the file name to die at, the exit code.
 */
public final class CrashingArchiver {
    static final Map<String, String> FAST_SESSIONS = Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");

    private CrashingArchiver() {
    }

    public static void main(String[] args) throws Exception {
        KafkaSettings kafka = new KafkaSettings(args[0], FAST_SESSIONS, Topics.withDefaultPrefix(),
                KafkaSettings.DEFAULT_PARTITIONS);
        String dieAt = args[3];
        int code = Integer.parseInt(args[4]);
        Publisher publisher = new Publisher(kafka, "archiver");
        ArchiverStage stage = new ArchiverStage(Path.of(args[1]), publisher, Clock.systemUTC(),
                SampleBatch.context(Path.of(args[2])), (file, tmpDir) -> {
                    if (file.equals(dieAt)) {
                        System.out.println("dying while writing " + file + " in " + tmpDir);
                        System.out.flush();
                        Runtime.getRuntime().halt(code);
                    }
                });
        stage.loop(kafka, "verops-archiver").start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
