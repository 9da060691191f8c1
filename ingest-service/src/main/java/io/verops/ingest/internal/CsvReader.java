package io.verops.ingest.internal;

import io.verops.ingest.BatchRefusedException;
import io.verops.ingest.RawRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 4180 CSV with a header row: quoted fields with embedded commas, doubled quotes and line breaks; CRLF or
 * LF; a UTF-8 byte-order mark. Malformed input refuses the batch with the row and line.
 */
public final class CsvReader {
    private CsvReader() {
    }

    public static List<RawRow> read(String name, String text) {
        List<Record> records = parse(name, text);
        if (records.isEmpty()) {
            throw new BatchRefusedException(name + ": empty file: a CSV batch needs a header row and at least one data row");
        }
        Record header = records.get(0);
        List<String> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < header.fields.size(); i++) {
            String c = header.fields.get(i).trim();
            if (c.isEmpty()) {
                problems.add(name + ": header (line 1), column " + (i + 1) + ": empty column name");
            } else if (!seen.add(c)) {
                problems.add(name + ": header (line 1): column '" + c + "' appears twice");
            }
            columns.add(c);
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        List<RawRow> rows = new ArrayList<>(records.size());
        for (int r = 1; r < records.size(); r++) {
            Record rec = records.get(r);
            if (rec.fields.size() == 1 && rec.fields.get(0).isEmpty() && !rec.quoted) {
                continue; // a blank line
            }
            int rowNo = rows.size() + 1;
            if (rec.fields.size() != columns.size()) {
                problems.add(name + ": row " + rowNo + " (line " + rec.line + "): has " + rec.fields.size()
                        + " fields, the header has " + columns.size());
                if (problems.size() >= 20) {
                    problems.add(name + ": (more ragged rows not listed)");
                    break;
                }
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                values.put(columns.get(i), rec.fields.get(i));
            }
            rows.add(new RawRow(rowNo, rec.line, values));
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        return rows;
    }

    private record Record(int line, List<String> fields, boolean quoted) {
    }

    private static List<Record> parse(String name, String text) {
        List<Record> out = new ArrayList<>();
        int n = text.length();
        int i = 0;
        int line = 1;
        while (i < n) {
            int recordLine = line;
            List<String> fields = new ArrayList<>();
            boolean anyQuoted = false;
            StringBuilder field = new StringBuilder();
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (i < n && text.charAt(i) == '"') {
                    anyQuoted = true;
                    int openLine = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new BatchRefusedException(name + ": line " + openLine
                                    + ": a quoted field is never closed (missing '\"')");
                        }
                        char c = text.charAt(i);
                        if (c == '"') {
                            if (i + 1 < n && text.charAt(i + 1) == '"') {
                                field.append('"');
                                i += 2;
                            } else {
                                i++;
                                break;
                            }
                        } else {
                            if (c == '\n') {
                                line++;
                            }
                            field.append(c);
                            i++;
                        }
                    }
                    if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                        throw new BatchRefusedException(name + ": line " + line
                                + ": text after a closing quote (a quote inside a field must be doubled: \"\")");
                    }
                } else {
                    while (i < n) {
                        char c = text.charAt(i);
                        if (c == ',' || c == '\n' || c == '\r') {
                            break;
                        }
                        if (c == '"') {
                            throw new BatchRefusedException(name + ": line " + line
                                    + ": a quote inside an unquoted field (quote the field and double the quote: \"\")");
                        }
                        field.append(c);
                        i++;
                    }
                }
                fields.add(field.toString());
                field.setLength(0);
                if (i >= n) {
                    endOfRecord = true;
                } else {
                    char c = text.charAt(i);
                    if (c == ',') {
                        i++;
                        if (i >= n) {
                            fields.add("");
                            endOfRecord = true;
                        }
                    } else {
                        if (c == '\r') {
                            i++;
                            if (i < n && text.charAt(i) == '\n') {
                                i++;
                            }
                        } else {
                            i++;
                        }
                        line++;
                        endOfRecord = true;
                    }
                }
            }
            out.add(new Record(recordLine, fields, anyQuoted));
        }
        return out;
    }
}
