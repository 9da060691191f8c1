package io.verops.codexsim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimConfigTest {

    @Test
    void defaults_are_an_ephemeral_port_no_latency_and_no_faults() {
        assertThat(SimConfig.defaults()).isEqualTo(new SimConfig(0, Duration.ZERO, List.of()));
    }

    @Test
    void withers_return_changed_copies() {
        SimConfig c = SimConfig.defaults().withPort(9999).withLatency(Duration.ofMillis(5))
                .withFaults(List.of(Fault.of(FaultKind.HANG))).withFault(Fault.parse("http500:times=1"));
        assertThat(c.port()).isEqualTo(9999);
        assertThat(c.turnLatency()).isEqualTo(Duration.ofMillis(5));
        assertThat(c.faults()).containsExactly(Fault.of(FaultKind.HANG), new Fault(FaultKind.HTTP_500, null, 0, 1));
        assertThat(SimConfig.defaults().faults()).isEmpty();
    }

    @Test
    void the_fault_list_is_copied_and_unmodifiable() {
        List<Fault> faults = new ArrayList<>(List.of(Fault.of(FaultKind.HANG)));
        SimConfig c = SimConfig.defaults().withFaults(faults);
        faults.clear();
        assertThat(c.faults()).hasSize(1);
        assertThatThrownBy(() -> c.faults().add(Fault.of(FaultKind.NON_JSON))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nulls_become_defaults_and_bad_values_are_rejected() {
        assertThat(new SimConfig(0, null, null)).isEqualTo(SimConfig.defaults());
        assertThatThrownBy(() -> SimConfig.defaults().withLatency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimConfig.defaults().withPort(70000)).isInstanceOf(IllegalArgumentException.class);
    }
}
