package io.verops.core.kafka;

/**
 * The work a stage does for one record. It returns once its output is durable in Kafka; the loop commits the
 * record's offset only then. An exception sends the record to the dead-letter topic with the reason.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(IncomingRecord record) throws Exception;
}
