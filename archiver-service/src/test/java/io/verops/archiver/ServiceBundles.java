package io.verops.archiver;

import io.verops.core.Phase;
import io.verops.core.messages.ControlMessage;
import java.nio.file.Path;
import java.time.Instant;

/** Writes sample bundles for tests outside this package (the archiver service's HTTP tests). */
public final class ServiceBundles {
    public static final String OPERATION = SampleBatch.OPERATION;

    private ServiceBundles() {
    }

    /**
     * The sample batch (2 success, 1 failure, 1 needs input, 1 skipped) started at {@code start}, as a signed bundle
     * under {@code reports}; halted by a gate when {@code halted}.
     */
    public static Path write(Path reports, Path keys, String batchId, Phase phase, Instant start, boolean halted)
            throws Exception {
        SampleBatch batch = new SampleBatch(batchId, phase, start);
        BatchAssembly assembly = batch.assembly();
        if (halted) {
            assembly.control(new ControlMessage(ControlMessage.Type.HALTED, batchId, OPERATION, phase,
                    "verops verifier (gate failure_ratio)", "1 of 3 items failed (33.3% > 5%)",
                    new ControlMessage.Gate("failure_ratio", 0.333, 0.05, "batch halted: 1 of 3 items failed (33.3% > 5%)"),
                    start.plusSeconds(30)));
        }
        return BundleWriter.write(reports, assembly, start.plusSeconds(60), SampleBatch.context(keys),
                SigningKey.loadOrCreate(new KeySettings(keys, null)));
    }
}
