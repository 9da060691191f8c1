package io.verops.verifier;

import io.verops.core.Json;
import io.verops.core.kafka.IncomingRecord;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.ResultMessage;
import io.verops.core.messages.VerdictMessage;
import io.verops.core.operation.OperationCatalog;
import java.util.List;
import java.util.Objects;

/** The verifier stage: one result in, one verdict out (keyed by batch, for the archiver). */
public final class VerifierStage {
    private final OperationCatalog catalog;
    private final Publisher publisher;

    public VerifierStage(OperationCatalog catalog, Publisher publisher) {
        this.catalog = Objects.requireNonNull(catalog, "catalog == null");
        this.publisher = Objects.requireNonNull(publisher, "publisher == null");
    }

    public void handle(IncomingRecord record) {
        ResultMessage result = Json.convert(record.json(), ResultMessage.class);
        VerdictMessage verdict = Verifier.judge(result, catalog.require(result.operation()));
        Publisher.await(List.of(publisher.send(publisher.settings().topics().verdicts(), verdict.batchId(), verdict)));
    }
}
