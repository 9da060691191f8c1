package io.verops.core.kafka;

/**
 * The work a stage does for one record. It returns once its output is durable in Kafka; the loop commits the
 * record's offset only then. An exception sends the record to the dead-letter topic with the reason: a
 * {@link RecordRefusedException} for a record the stage refuses (its message is the reason as it is), any other
 * for an unexpected failure.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(IncomingRecord record) throws Exception;
}
