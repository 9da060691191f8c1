package io.verops.archiver;

import io.verops.core.internal.Digests;
import io.verops.core.operation.FieldSpec;
import io.verops.core.operation.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What the archiver needs to know of an operation's definition: its field names in order (the header of
 * needs-input.csv), its model, and the digests that go into a bundle's provenance.
 *
 * @param definitionSha256   SHA-256 of operation.json as it was loaded
 * @param outputSchemaSha256 SHA-256 of the output schema file as it was loaded, or null
 */
public record OperationFacts(String name, List<String> fields, String model, String reasoningEffort,
                             String definitionSha256, String outputSchemaSha256) {
    public OperationFacts {
        Objects.requireNonNull(name, "name == null");
        fields = List.copyOf(fields);
    }

    public static OperationFacts of(Operation op) {
        String schemaDigest = op.outputSchema() == null || op.outputSchema().text() == null ? null
                : Digests.sha256Hex(op.outputSchema().text().getBytes(StandardCharsets.UTF_8));
        return new OperationFacts(op.name(), op.fields().stream().map(FieldSpec::name).toList(),
                op.model() == null ? null : op.model().name(), op.model() == null ? null : op.model().reasoningEffort(),
                op.definitionSha256(), schemaDigest);
    }
}
