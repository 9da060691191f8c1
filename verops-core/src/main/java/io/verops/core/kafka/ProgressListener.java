package io.verops.core.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Told, on the loop's own thread, after every poll whose records are all handled (and after an empty poll),
 * how far the stage has read: for each assigned partition, the offset of the next record it will read. Every
 * record below that offset has been handled or dead-lettered.
 */
@FunctionalInterface
public interface ProgressListener {
    void caughtUp(Map<TopicPartition, Long> positions) throws Exception;
}
