package io.verops.codexsim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultTest {

    @Test
    void a_bare_kind_applies_to_any_item_and_turn_without_limit() {
        assertThat(Fault.parse("http500")).isEqualTo(new Fault(FaultKind.HTTP_500, null, 0, 0));
    }

    @Test
    void item_turn_and_times_are_read_from_the_spec() {
        assertThat(Fault.parse("http500:item=bob@example.com,turn=1,times=1"))
                .isEqualTo(new Fault(FaultKind.HTTP_500, "bob@example.com", 1, 1));
        assertThat(Fault.parse("off-schema:item=x")).isEqualTo(new Fault(FaultKind.OFF_SCHEMA, "x", 0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"off-schema", "OFF_SCHEMA", "off_schema", "OffSchema", " off-schema "})
    void kind_names_ignore_case_dashes_and_underscores(String spec) {
        assertThat(Fault.parse(spec).kind()).isEqualTo(FaultKind.OFF_SCHEMA);
    }

    @Test
    void every_kind_round_trips_through_its_spec() {
        for (FaultKind kind : FaultKind.values()) {
            Fault f = new Fault(kind, "a@b.c", 2, 3);
            assertThat(Fault.parse(f.spec())).isEqualTo(f);
            assertThat(Fault.parse(Fault.of(kind).spec())).isEqualTo(Fault.of(kind));
        }
    }

    @Test
    void a_star_item_means_any_item() {
        assertThat(Fault.parse("hang:item=*").itemId()).isNull();
    }

    @Test
    void an_unknown_kind_is_named_in_the_error_with_the_known_kinds() {
        assertThatThrownBy(() -> Fault.parse("http503:turn=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http503'")
                .hasMessageContaining("http500")
                .hasMessageContaining("write-in-dry-run");
    }

    @Test
    void a_bad_turn_value_is_named_in_the_error() {
        assertThatThrownBy(() -> Fault.parse("http500:turn=first"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("turn")
                .hasMessageContaining("'first'");
        assertThatThrownBy(() -> Fault.parse("http500:turn=-1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("turn");
    }

    @Test
    void a_bad_times_value_is_named_in_the_error() {
        assertThatThrownBy(() -> Fault.parse("hang:times=2x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("times").hasMessageContaining("'2x'");
    }

    @Test
    void an_unknown_key_is_named_in_the_error() {
        assertThatThrownBy(() -> Fault.parse("hang:when=now"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'when'");
    }

    @Test
    void a_part_without_equals_sign_is_named_in_the_error() {
        assertThatThrownBy(() -> Fault.parse("hang:item=a,turn"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'turn' is not key=value");
    }

    @Test
    void empty_specs_and_empty_values_are_rejected() {
        assertThatThrownBy(() -> Fault.parse("")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Fault.parse("hang:")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing after ':'");
        assertThatThrownBy(() -> Fault.parse("hang:item=")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty item");
    }
}
