package io.verops.ingest.internal;

import io.verops.ingest.BatchRefusedException;
import io.verops.ingest.RawRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV with a header row: fields separated by commas, quoted fields holding commas, doubled quotes
 * and line breaks, records ended by CRLF or LF, an optional UTF-8 byte-order mark. Strict where RFC 4180 is: a
 * quote inside an unquoted field, text after a closing quote and a quote never closed refuse the batch, with
 * the line. Blank lines between records are ignored.
 */
public final class CsvReader {
    private CsvReader() {
    }

    public static List<RawRow> read(String name, String text) {
        int start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        if (text.isBlank() || text.length() == start) {
            throw new BatchRefusedException(name + ": empty file: a CSV batch needs a header row and at least one data row");
        }
        Parser p = new Parser(name, text, start);
        List<String> header = p.next();
        List<String> problems = new ArrayList<>();
        String[] columns = new String[header.size()];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String c = header.get(i).strip();
            if (c.isEmpty()) {
                problems.add(name + ": header (line 1), column " + (i + 1) + ": empty column name");
            } else if (c.length() > Cells.MAX_NAME_LENGTH) {
                problems.add(name + ": header (line 1), column " + (i + 1) + ": a column name of " + c.length()
                        + " characters is longer than the limit of " + Cells.MAX_NAME_LENGTH + " (is this a header?)");
            } else if (c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                problems.add(name + ": header (line 1), column " + (i + 1) + ": a column name holds a line break");
            } else {
                Integer first = seen.putIfAbsent(c, i + 1);
                if (first != null) {
                    problems.add(name + ": header (line 1): column " + Shown.quoted(c) + " appears twice (columns "
                            + first + " and " + (i + 1) + ")");
                }
            }
            columns[i] = c;
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        ColumnValues.Columns shared = new ColumnValues.Columns(columns);
        List<RawRow> rows = new ArrayList<>();
        int rowNo = 0;
        while (p.hasNext()) {
            int line = p.line;
            List<String> fields = p.next();
            if (fields.size() == 1 && fields.get(0).isEmpty() && !p.lastQuoted) {
                continue; // a blank line
            }
            rowNo++;
            if (fields.size() != columns.length) {
                addCapped(problems, name + ": row " + rowNo + " (line " + line + "): has " + fields.size()
                        + " field" + (fields.size() == 1 ? "" : "s") + ", the header has " + columns.length);
                continue;
            }
            String[] values = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                String v = fields.get(i);
                if (v.length() > Cells.MAX_VALUE_LENGTH) {
                    addCapped(problems, name + ": row " + rowNo + " (line " + line + "), field "
                            + Shown.quoted(columns[i]) + ": " + Cells.tooLong(v.length()));
                }
                values[i] = v;
            }
            rows.add(new RawRow(rowNo, line, new ColumnValues(shared, values)));
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        return rows;
    }

    static void addCapped(List<String> problems, String problem) {
        if (problems.size() < Cells.MAX_PROBLEMS) {
            problems.add(problem);
        } else if (problems.size() == Cells.MAX_PROBLEMS) {
            problems.add("(more problems not listed)");
        }
    }

    /** Reads one record at a time. */
    private static final class Parser {
        private final String name;
        private final String text;
        private final int n;
        private int i;
        int line = 1;
        boolean lastQuoted;

        Parser(String name, String text, int start) {
            this.name = name;
            this.text = text;
            this.n = text.length();
            this.i = start;
        }

        boolean hasNext() {
            return i < n;
        }

        List<String> next() {
            List<String> fields = new ArrayList<>(8);
            lastQuoted = false;
            while (true) {
                String field;
                if (i < n && text.charAt(i) == '"') {
                    lastQuoted = true;
                    field = quoted();
                } else {
                    int from = i;
                    while (i < n) {
                        char c = text.charAt(i);
                        if (c == ',' || c == '\n' || c == '\r') {
                            break;
                        }
                        if (c == '"') {
                            throw new BatchRefusedException(name + ": line " + line + ": a quote inside an unquoted "
                                    + "field (quote the whole field and double the quote: \"5'10\"\"\")");
                        }
                        i++;
                    }
                    field = text.substring(from, i);
                }
                fields.add(field);
                if (i >= n) {
                    return fields;
                }
                char c = text.charAt(i);
                if (c == ',') {
                    i++;
                    if (i >= n) {
                        fields.add("");
                        return fields;
                    }
                    continue;
                }
                // end of record: CRLF, LF or a lone CR
                i++;
                if (c == '\r' && i < n && text.charAt(i) == '\n') {
                    i++;
                }
                line++;
                return fields;
            }
        }

        private String quoted() {
            int openLine = line;
            i++; // the opening quote
            StringBuilder sb = null;
            int from = i;
            while (true) {
                int q = text.indexOf('"', i);
                if (q < 0) {
                    throw new BatchRefusedException(name + ": line " + openLine
                            + ": a quoted field is never closed (a '\"' is missing)");
                }
                line += countLineBreaks(i, q);
                if (q + 1 < n && text.charAt(q + 1) == '"') {
                    if (sb == null) {
                        sb = new StringBuilder(q - from + 16);
                    }
                    sb.append(text, from, q + 1);
                    i = q + 2;
                    from = i;
                    continue;
                }
                String value = sb == null ? text.substring(from, q) : sb.append(text, from, q).toString();
                i = q + 1;
                if (i < n) {
                    char c = text.charAt(i);
                    if (c != ',' && c != '\n' && c != '\r') {
                        throw new BatchRefusedException(name + ": line " + line
                                + ": text after a closing quote (a quote inside a field must be doubled: \"\")");
                    }
                }
                return value;
            }
        }

        private int countLineBreaks(int from, int to) {
            int breaks = 0;
            for (int k = from; k < to; k++) {
                char c = text.charAt(k);
                if (c == '\n' || (c == '\r' && (k + 1 >= to || text.charAt(k + 1) != '\n'))) {
                    breaks++;
                }
            }
            return breaks;
        }
    }
}
