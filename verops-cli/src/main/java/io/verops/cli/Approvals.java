package io.verops.cli;

import io.verops.core.Phase;
import io.verops.core.kafka.Publisher;
import io.verops.core.messages.ControlMessage;
import io.verops.core.operation.Operation;
import java.time.Instant;
import java.util.List;

/** Publishing an operator's decision on the control topic. */
final class Approvals {
    private Approvals() {
    }

    static void publish(LocalSession session, Operation op, String batchId, ControlMessage.Type type, String actor,
                        String reason) {
        Publisher p = session.pipeline.publisher();
        ControlMessage m = new ControlMessage(type, batchId, op == null ? null : op.name(),
                type == ControlMessage.Type.HALTED ? null : Phase.APPLY, actor, reason, null, Instant.now());
        Publisher.await(List.of(p.send(p.settings().topics().control(), batchId, m)));
    }
}
