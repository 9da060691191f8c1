package io.verops.ingest;

import io.verops.ingest.internal.ColumnValues;
import java.util.Map;

/**
 * One data row as read, before normalisation.
 *
 * @param row  1-based position among the data rows (the CSV header is not a row)
 * @param line 1-based line of the input where the row starts
 * @param values column name to raw value, exactly as read; a value absent from the map was not given
 */
public record RawRow(int row, int line, Map<String, String> values) {
    public RawRow {
        values = values instanceof ColumnValues ? values : Map.copyOf(values);
    }
}
