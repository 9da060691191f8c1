package io.verops.archiver;

import io.verops.archiver.internal.Csv;
import io.verops.core.ItemStatus;
import io.verops.core.messages.BatchEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * needs-input.csv: the rows that need input, ready to be completed and submitted as a new batch. The header is
 * the operation's field names, in its order and nothing else; each row holds the values that were valid
 * (identity included) and leaves the cells to fill empty. Values are kept exactly (no spreadsheet
 * neutralisation), so that a completed file reads back as the same values; why each row needs input is in
 * report.json and report.html.
 */
public final class NeedsInputCsv {
    public static final String FILE = "needs-input.csv";

    private NeedsInputCsv() {
    }

    /**
     * The file's text, or null when no row needs input.
     *
     * @param fieldOrder the operation's field names in order; when empty (operation unknown to the archiver), the
     *                   fields named by the rows themselves, in order of first appearance
     */
    public static String render(List<String> fieldOrder, List<BatchReport.Entry> results) {
        List<BatchReport.Entry> rows = results.stream().filter(e -> e.status() == ItemStatus.NEEDS_INPUT).toList();
        if (rows.isEmpty()) {
            return null;
        }
        List<String> header = new ArrayList<>(fieldOrder);
        if (header.isEmpty()) {
            Set<String> seen = new LinkedHashSet<>();
            for (BatchReport.Entry e : rows) {
                if (e.fields() != null) {
                    seen.addAll(e.fields().keySet());
                }
                if (e.problems() != null) {
                    e.problems().stream().map(BatchEvent.FieldProblem::field).forEach(seen::add);
                }
            }
            header.addAll(seen);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", header.stream().map(Csv::cell).toList())).append("\r\n");
        for (BatchReport.Entry e : rows) {
            Map<String, String> values = e.fields() == null ? Map.of() : e.fields();
            List<String> cells = new ArrayList<>(header.size());
            for (String f : header) {
                cells.add(Csv.cell(values.get(f)));
            }
            sb.append(String.join(",", cells)).append("\r\n");
        }
        return sb.toString();
    }
}
