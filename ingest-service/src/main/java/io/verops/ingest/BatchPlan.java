package io.verops.ingest;

import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ItemMessage;
import java.util.List;

/**
 * What ingest decided for a batch: the items to execute and the rows that are not executed (needs input,
 * duplicates), with the accepted event that announces it all.
 */
public record BatchPlan(BatchEvent accepted, List<ItemMessage> items) {
    public BatchPlan {
        items = List.copyOf(items);
    }

    public String batchId() {
        return accepted.batchId();
    }

    public int totalRows() {
        return accepted.totalItems();
    }

    public List<BatchEvent.RowOutcome> notExecuted() {
        return accepted.notExecuted();
    }
}
