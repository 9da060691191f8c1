package io.verops.archiver.internal;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 reading and writing, as the bundle's CSV files use it (CRLF line ends, quotes doubled). */
public final class Csv {
    private Csv() {
    }

    /** A cell quoted when it holds a comma, quote or line break; the value itself is kept as it is. */
    public static String cell(String v) {
        if (v == null) {
            return "";
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    /**
     * The records of a CSV text, each a list of cells.
     *
     * @throws IllegalArgumentException on an unclosed quote or text after a closing quote, naming the record
     */
    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        int i = 0;
        int n = text.length();
        boolean quoted = false;
        boolean afterQuote = false;
        boolean any = false;
        while (i < n) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    afterQuote = true;
                } else {
                    cell.append(c);
                }
                i++;
                continue;
            }
            if (c == ',') {
                record.add(cell.toString());
                cell.setLength(0);
                afterQuote = false;
                any = true;
            } else if (c == '\r' || c == '\n') {
                record.add(cell.toString());
                records.add(record);
                record = new ArrayList<>();
                cell.setLength(0);
                afterQuote = false;
                any = false;
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '"' && cell.length() == 0 && !afterQuote) {
                quoted = true;
                any = true;
            } else {
                if (afterQuote) {
                    throw new IllegalArgumentException("record " + (records.size() + 1) + ": text after a closing quote");
                }
                cell.append(c);
                any = true;
            }
            i++;
        }
        if (quoted) {
            throw new IllegalArgumentException("record " + (records.size() + 1) + ": a quoted cell is not closed");
        }
        if (any || cell.length() > 0 || !record.isEmpty()) {
            record.add(cell.toString());
            records.add(record);
        }
        return records;
    }
}
