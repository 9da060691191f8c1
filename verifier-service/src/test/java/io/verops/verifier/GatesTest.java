package io.verops.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GatesTest {
    @Test
    void exactlyAtTheThresholdDoesNotHalt() {
        Gates.Evaluation e = Gates.failureRatio(1, 20, 50, false, 0.05, 20);
        assertThat(e.outcome()).isEqualTo(Gates.Outcome.PASSED);
        assertThat(e.observed()).isEqualTo(0.05);
        assertThat(e.detail()).isEqualTo("1 of 20 items failed (5.0% <= 5%)");
    }

    @Test
    void justPastTheThresholdHalts() {
        Gates.Evaluation e = Gates.failureRatio(2, 20, 50, false, 0.05, 20);
        assertThat(e.halts()).isTrue();
        assertThat(e.name()).isEqualTo(Gates.FAILURE_RATIO);
        assertThat(e.threshold()).isEqualTo(0.05);
        assertThat(e.detail()).isEqualTo("2 of 20 items failed (10.0% > 5%)");
    }

    @Test
    void theBoundaryIsExactEvenWhereFloatingPointIsNot() {
        // 3/60 and 0.05 * 60 are not exact in binary floating point; the comparison must still call it equal
        assertThat(Gates.failureRatio(3, 60, 100, false, 0.05, 20).outcome()).isEqualTo(Gates.Outcome.PASSED);
        assertThat(Gates.failureRatio(4, 60, 100, false, 0.05, 20).halts()).isTrue();
        assertThat(Gates.failureRatio(7, 100, 100, true, 0.07, 20).outcome()).isEqualTo(Gates.Outcome.PASSED);
        assertThat(Gates.failureRatio(29, 100, 100, true, 0.29, 20).outcome()).isEqualTo(Gates.Outcome.PASSED);
        assertThat(Gates.failureRatio(30, 100, 100, true, 0.29, 20).halts()).isTrue();
    }

    @Test
    void theIssuesExampleReadsAsItShould() {
        assertThat(Gates.failureRatio(4, 50, 50, true, 0.05, 20).detail())
                .isEqualTo("4 of 50 items failed (8.0% > 5%)");
        assertThat(Gates.failureRatio(1, 8, 8, true, 0.125, 20).detail())
                .isEqualTo("1 of 8 items failed (12.5% <= 12.5%)");
    }

    @Test
    void nothingIsJudgedBeforeTheMinimumSampleHasAVerdict() {
        Gates.Evaluation e = Gates.failureRatio(5, 19, 100, false, 0.05, 20);
        assertThat(e.outcome()).isEqualTo(Gates.Outcome.NOT_EVALUATED);
        assertThat(e.detail()).contains("judged from 20 items");
        assertThat(Gates.failureRatio(5, 20, 100, false, 0.05, 20).halts()).isTrue();
    }

    @Test
    void aBatchSmallerThanTheMinimumSampleIsJudgedWhole() {
        assertThat(Gates.failureRatio(1, 4, 5, false, 0.05, 20).outcome()).isEqualTo(Gates.Outcome.NOT_EVALUATED);
        assertThat(Gates.failureRatio(1, 5, 5, false, 0.05, 20).halts()).isTrue();
        // items the agent skipped do not count, so a complete phase is judged with fewer than its size
        assertThat(Gates.failureRatio(1, 3, 5, true, 0.05, 20).halts()).isTrue();
        assertThat(Gates.failureRatio(0, 0, 5, true, 0.05, 20).outcome()).isEqualTo(Gates.Outcome.NOT_EVALUATED);
    }

    @Test
    void anUnknownPlanFallsBackToTheMinimumSample() {
        assertThat(Gates.failureRatio(1, 5, null, false, 0.05, 20).outcome()).isEqualTo(Gates.Outcome.NOT_EVALUATED);
        assertThat(Gates.failureRatio(2, 20, null, false, 0.05, 20).halts()).isTrue();
    }

    @Test
    void countsThatCannotBeAreRefused() {
        assertThatThrownBy(() -> Gates.failureRatio(3, 2, 5, false, 0.05, 20))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("failed (3)");
    }

    @Test
    void anErrorFloodHaltsOnlyPastItsLimit() {
        assertThat(Gates.errorFlood(10, 10, "the output of 'x'").outcome()).isEqualTo(Gates.Outcome.PASSED);
        Gates.Evaluation e = Gates.errorFlood(11, 10, "the output of 'x'");
        assertThat(e.halts()).isTrue();
        assertThat(e.detail()).isEqualTo("the output of 'x' has 11 lines mentioning error (limit 10)");
        assertThat(e.observed()).isEqualTo(11);
        assertThat(e.threshold()).isEqualTo(10);
    }

    @Test
    void destructiveOutputHaltsAtOnceUnlessTheOperationAllowsIt() {
        assertThat(Gates.destructiveOutput(0, false, null).outcome()).isEqualTo(Gates.Outcome.PASSED);
        Gates.Evaluation e = Gates.destructiveOutput(1, false, "the output of 'echo' ('deleted 3 rows')");
        assertThat(e.halts()).isTrue();
        assertThat(e.detail()).startsWith("the output of 'echo' ('deleted 3 rows') reports something destructive");
        assertThat(Gates.destructiveOutput(2, true, "x").outcome()).isEqualTo(Gates.Outcome.NOT_EVALUATED);
    }
}
