package io.verops.codexsim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link CodexSim} behaves.
 *
 * @param port        TCP port on 127.0.0.1; 0 picks an ephemeral port
 * @param turnLatency sleep before answering each request (does not block other requests)
 * @param faults      scripted misbehaviours, consulted in this order
 */
public record SimConfig(int port, Duration turnLatency, List<Fault> faults) {

    public SimConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        turnLatency = turnLatency == null ? Duration.ZERO : turnLatency;
        if (turnLatency.isNegative()) {
            throw new IllegalArgumentException("turnLatency must not be negative, got " + turnLatency);
        }
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** Port 0 (ephemeral), no latency, no faults. */
    public static SimConfig defaults() {
        return new SimConfig(0, Duration.ZERO, List.of());
    }

    public SimConfig withPort(int p) {
        return new SimConfig(p, turnLatency, faults);
    }

    public SimConfig withLatency(Duration d) {
        return new SimConfig(port, d, faults);
    }

    public SimConfig withFaults(List<Fault> f) {
        return new SimConfig(port, turnLatency, f);
    }

    /** This config with one more fault appended. */
    public SimConfig withFault(Fault f) {
        List<Fault> all = new ArrayList<>(faults);
        all.add(f);
        return new SimConfig(port, turnLatency, all);
    }
}
