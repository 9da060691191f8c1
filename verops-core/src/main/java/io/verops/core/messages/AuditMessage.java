package io.verops.core.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.verops.core.Phase;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of evidence (topic {@code audit}, keyed by batch): a codex {@code --json} event of one attempt
 * of one item ({@code source = "codex"}), or an event of the pipeline itself ({@code source = "verops"}).
 */
public record AuditMessage(String batchId, String operation, String itemId, Phase phase, int attempt,
                           int seq, String source, JsonNode event, Instant at) {
    /**
     * The executor's event before each attempt of an item: {@code attempt}, {@code codex_version},
     * {@code model_provider} and {@code hook_policy_sha256}, the provenance of that codex run.
     */
    public static final String ATTEMPT_STARTED = "verops.attempt.started";

    public AuditMessage {
        Objects.requireNonNull(batchId, "batchId == null");
        Objects.requireNonNull(event, "event == null");
        Objects.requireNonNull(source, "source == null");
    }
}
