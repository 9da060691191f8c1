package io.verops.verifier;

import com.fasterxml.jackson.annotation.JsonValue;
import io.verops.core.messages.Evidence;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * The batch gates' decisions, pure (see docs/verification.md): the failure ratio of a phase, and two gates on the
 * tools' output, an error flood and destructive output. A gate that halts stops the batch: its remaining items end
 * skipped, and a halted dry run never reaches approval.
 */
public final class Gates {
    public static final String FAILURE_RATIO = "failure_ratio";
    public static final String ERROR_FLOOD = "error_flood";
    public static final String DESTRUCTIVE_OUTPUT = "destructive_output";

    private Gates() {
    }

    /**
     * One evaluation of a gate.
     *
     * @param observed  the value the gate looked at (a ratio, a number of lines, a number of outputs)
     * @param threshold the value it must not pass
     * @param detail    the numbers in words; for a halt, the reason the batch's skipped items carry
     */
    public record Evaluation(String name, double observed, double threshold, Outcome outcome, String detail) {
        public Evaluation {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(outcome, "outcome == null");
            Objects.requireNonNull(detail, "detail == null");
        }

        public boolean halts() {
            return outcome == Outcome.HALTED;
        }
    }

    public enum Outcome {
        /** Judged, and within its threshold. */
        PASSED,
        /** Judged, past its threshold: the batch halts. */
        HALTED,
        /** Not judged (too few verdicts yet, no evidence, or the operation allows what it checks). */
        NOT_EVALUATED;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The failure ratio of one phase: {@code failed / judged} (judged: items with a verdict other than skipped)
     * halts when it is strictly greater than the threshold, once {@code min(minSample, planned)} items are judged
     * or every planned item has its verdict. Exactly at the threshold does not halt. Exact arithmetic, no rounding.
     *
     * @param planned       the phase's items, or null when not known (then {@code minSample} alone applies)
     * @param phaseComplete every planned item has a verdict
     */
    public static Evaluation failureRatio(int failed, int judged, Integer planned, boolean phaseComplete,
                                          double threshold, int minSample) {
        if (failed < 0 || judged < failed) {
            throw new IllegalArgumentException("failed (" + failed + ") must be between 0 and judged (" + judged + ")");
        }
        int sample = planned == null ? minSample : Math.min(minSample, planned);
        double ratio = judged == 0 ? 0 : (double) failed / judged;
        String counts = failed + " of " + judged + " items failed";
        if (judged == 0 || (judged < sample && !phaseComplete)) {
            return new Evaluation(FAILURE_RATIO, ratio, threshold, Outcome.NOT_EVALUATED, counts + "; the ratio is "
                    + "judged from " + sample + " items with a verdict");
        }
        boolean past = BigDecimal.valueOf(failed).compareTo(BigDecimal.valueOf(threshold)
                .multiply(BigDecimal.valueOf(judged))) > 0;
        return new Evaluation(FAILURE_RATIO, ratio, threshold, past ? Outcome.HALTED : Outcome.PASSED,
                counts + " (" + percent(ratio) + (past ? " > " : " <= ") + threshold(threshold) + ")");
    }

    /**
     * An error flood: halts when a tool's output has more lines mentioning "error" than the limit.
     *
     * @param errorLines the largest number of such lines in one output
     * @param where      which output, e.g. {@code item x: the output of 'cmd'}; null for a phase's summary
     */
    public static Evaluation errorFlood(int errorLines, int limit, String where) {
        boolean past = errorLines > limit;
        String detail = (where == null ? "the largest output" : where) + " has " + errorLines
                + " lines mentioning error (limit " + limit + ")";
        return new Evaluation(ERROR_FLOOD, errorLines, limit, past ? Outcome.HALTED : Outcome.PASSED, detail);
    }

    /**
     * Destructive output: halts at once when a tool's output reports something deleted, dropped or truncated and
     * the operation does not allow it.
     *
     * @param outputs how many outputs report it
     * @param example the first such line with where it was, or null
     */
    public static Evaluation destructiveOutput(int outputs, boolean allowed, String example) {
        if (allowed) {
            return new Evaluation(DESTRUCTIVE_OUTPUT, outputs, 0, Outcome.NOT_EVALUATED,
                    "the operation allows destructive output (" + outputs + " output(s) report it)");
        }
        if (outputs == 0) {
            return new Evaluation(DESTRUCTIVE_OUTPUT, 0, 0, Outcome.PASSED,
                    "no output reports something deleted, dropped or truncated");
        }
        return new Evaluation(DESTRUCTIVE_OUTPUT, outputs, 0, Outcome.HALTED, (example == null ? "an output" : example)
                + " reports something destructive, and the operation does not allow destructive output");
    }

    /** The largest number of lines mentioning error in one output of the evidence, with where it was. */
    static Worst worstErrorFlood(Evidence e) {
        Worst worst = new Worst(0, null, 0);
        for (Evidence.Command c : e.commands()) {
            if (c.errorLines() > worst.value()) {
                worst = new Worst(c.errorLines(), "the output of '" + Verifier.shortCommand(c.command()) + "'", 1);
            }
        }
        for (Evidence.Flag f : e.flags()) {
            if (f.errorLines() != null && f.errorLines() > worst.value()) {
                worst = new Worst(f.errorLines(), "the output of '" + Verifier.shortCommand(f.command()) + "'", 1);
            }
        }
        return worst;
    }

    /** How many outputs of the evidence report something destructive, with the first one. */
    static Worst destructive(Evidence e) {
        int count = 0;
        String first = null;
        for (Evidence.Command c : e.commands()) {
            if (c.destructiveOutput() != null) {
                count++;
                first = first != null ? first : "the output of '" + Verifier.shortCommand(c.command()) + "' ('"
                        + c.destructiveOutput() + "')";
            }
        }
        if (count == 0) {
            for (Evidence.Flag f : e.flags()) {
                if (f.rule().equals("destructive-output")) {
                    count++;
                    first = first != null ? first : "the output of '" + Verifier.shortCommand(f.command()) + "'"
                            + (f.reason() == null ? "" : " (" + f.reason() + ")");
                }
            }
        }
        return new Worst(count, first, count);
    }

    /** A value found in the evidence, where, and how many times. */
    record Worst(int value, String where, int count) {
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    static String threshold(double threshold) {
        return BigDecimal.valueOf(threshold).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }
}
