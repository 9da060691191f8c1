package io.verops.cli;

import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import io.verops.core.operation.Operation;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Following a batch's phases to their end, with progress on stderr, and the exit code of the outcome. */
final class Follow {
    private Follow() {
    }

    static BatchEvent phase(BatchWatcher watcher, String batchId, Phase phase, int total, PipelineOptions o,
                            PrintWriter err) throws Exception {
        AtomicInteger done = new AtomicInteger();
        String label = phase == Phase.DRY_RUN ? "dry run" : "apply";
        return watcher.awaitCompleted(batchId, phase, Duration.ofMinutes(o.timeoutMinutes), v -> {
            err.println("verops: " + label + " " + done.incrementAndGet() + "/" + total + " items done (" + v.itemId()
                    + ": " + v.status().wire() + ")");
            err.flush();
        });
    }

    static String counts(BatchEvent e) {
        Map<String, Integer> c = e.counts();
        return c.get("total_items") + " items: " + c.get("success") + " succeeded, " + c.get("failure") + " failed, "
                + c.get("skipped") + " skipped, " + c.get("needs_input") + " need input, " + c.get("indeterminate")
                + " indeterminate";
    }

    /** Prints the summary and the bundle's path (last line of stdout) and returns the exit code. */
    static int finish(BatchEvent completed, BatchWatcher watcher, String batchId, Operation op, PrintWriter out) {
        String what = completed.phase() == Phase.DRY_RUN ? "dry run" : "apply";
        var halt = watcher.halt();
        out.println("batch " + batchId + " (" + op.name() + ") " + what + ": " + counts(completed)
                + halt.map(h -> "; HALTED by " + h.actor() + ": " + h.reason()).orElse(""));
        out.println(completed.bundle());
        out.flush();
        if (halt.isPresent()) {
            return ExitCodes.HALTED;
        }
        Map<String, Integer> c = completed.counts();
        return c.get("success").equals(c.get("total_items")) ? ExitCodes.OK : ExitCodes.NOT_ALL_SUCCEEDED;
    }
}
