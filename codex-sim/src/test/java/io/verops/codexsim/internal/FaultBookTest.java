package io.verops.codexsim.internal;

import io.verops.codexsim.Fault;
import io.verops.codexsim.FaultKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class FaultBookTest {

    @Test
    void a_fault_matches_only_its_kind_item_and_turn() {
        FaultBook book = new FaultBook(List.of(new Fault(FaultKind.OFF_SCHEMA, "a", 2, 0)));
        assertThat(book.fire(FaultKind.NON_JSON, "a", 2)).isFalse();
        assertThat(book.fire(FaultKind.OFF_SCHEMA, "b", 2)).isFalse();
        assertThat(book.fire(FaultKind.OFF_SCHEMA, "a", 1)).isFalse();
        assertThat(book.fire(FaultKind.OFF_SCHEMA, null, 2)).isFalse();
        assertThat(book.fire(FaultKind.OFF_SCHEMA, "a", 2)).isTrue();
    }

    @Test
    void a_fault_without_item_or_turn_matches_every_item_and_turn() {
        FaultBook book = new FaultBook(List.of(Fault.of(FaultKind.NON_JSON)));
        assertThat(book.fire(FaultKind.NON_JSON, "a", 1)).isTrue();
        assertThat(book.fire(FaultKind.NON_JSON, null, 7)).isTrue();
    }

    @Test
    void times_limits_firings_and_zero_means_unlimited() {
        FaultBook book = new FaultBook(List.of(new Fault(FaultKind.HTTP_500, null, 0, 2)));
        assertThat(book.fire(FaultKind.HTTP_500, "a", 1)).isTrue();
        assertThat(book.fire(FaultKind.HTTP_500, "b", 1)).isTrue();
        assertThat(book.fire(FaultKind.HTTP_500, "c", 1)).isFalse();
        FaultBook unlimited = new FaultBook(List.of(Fault.of(FaultKind.HTTP_500)));
        for (int i = 0; i < 1000; i++) {
            assertThat(unlimited.fire(FaultKind.HTTP_500, "a", 1)).isTrue();
        }
    }

    @Test
    void the_first_matching_fault_in_config_order_fires_and_a_used_up_one_gives_way() {
        FaultBook book = new FaultBook(List.of(new Fault(FaultKind.HTTP_429, null, 0, 1), Fault.of(FaultKind.HTTP_500)));
        EnumSet<FaultKind> transport = EnumSet.of(FaultKind.HTTP_429, FaultKind.HTTP_500, FaultKind.HANG);
        assertThat(book.fireFirst(transport, "a", 1)).isEqualTo(FaultKind.HTTP_429);
        assertThat(book.fireFirst(transport, "a", 1)).isEqualTo(FaultKind.HTTP_500);
        assertThat(book.fireFirst(EnumSet.of(FaultKind.HANG), "a", 1)).isNull();
    }

    @Test
    void times_hold_exactly_under_concurrent_firing() throws Exception {
        FaultBook book = new FaultBook(List.of(new Fault(FaultKind.HTTP_500, null, 0, 500)));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                tasks.add(() -> {
                    int fired = 0;
                    for (int i = 0; i < 100; i++) {
                        if (book.fire(FaultKind.HTTP_500, "x", 1)) {
                            fired++;
                        }
                    }
                    return fired;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                total += f.get();
            }
            assertThat(total).isEqualTo(500);
        } finally {
            pool.shutdownNow();
        }
    }
}
