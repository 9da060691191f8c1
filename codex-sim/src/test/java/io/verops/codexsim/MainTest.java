package io.verops.codexsim;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    @Test
    void port_latency_and_repeated_faults_are_read_from_the_command_line() {
        SimConfig c = Main.parse(new String[]{"--port", "18080", "--latency-ms=250", "--fault", "http500:turn=1,times=1",
                "--fault=non-json:item=x"});
        assertThat(c.port()).isEqualTo(18080);
        assertThat(c.turnLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.faults()).containsExactly(new Fault(FaultKind.HTTP_500, null, 1, 1), new Fault(FaultKind.NON_JSON, "x", 0, 0));
    }

    @Test
    void no_arguments_mean_the_defaults_and_help_means_no_config() {
        assertThat(Main.parse(new String[0])).isEqualTo(SimConfig.defaults());
        assertThat(Main.parse(new String[]{"--help"})).isNull();
    }

    @Test
    void bad_arguments_are_named() {
        assertThatThrownBy(() -> Main.parse(new String[]{"--port"})).hasMessageContaining("--port needs a value");
        assertThatThrownBy(() -> Main.parse(new String[]{"--latency-ms", "soon"})).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Main.parse(new String[]{"--verbose"})).hasMessageContaining("'--verbose'");
        assertThatThrownBy(() -> Main.parse(new String[]{"--fault", "nope"})).hasMessageContaining("'nope'");
    }
}
