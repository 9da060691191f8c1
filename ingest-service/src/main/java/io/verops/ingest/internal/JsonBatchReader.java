package io.verops.ingest.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.verops.ingest.BatchRefusedException;
import io.verops.ingest.RawRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON array of objects, or JSON Lines (one object per line). Values must be strings, numbers or booleans
 * (null is "not given"); a number is kept exactly as written ({@code 1000.10} stays {@code 1000.10}, no
 * floating point). A key appearing twice in one object refuses the batch.
 */
public final class JsonBatchReader {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Cells.MAX_VALUE_LENGTH).build())
            .build();

    private JsonBatchReader() {
    }

    public static List<RawRow> readArray(String name, String text) {
        if (text.isBlank()) {
            throw new BatchRefusedException(name + ": empty file: a JSON batch is an array of objects");
        }
        List<RawRow> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int rowNo = 0;
        int line = 1;
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_ARRAY) {
                throw new BatchRefusedException(name + ": a JSON batch must be an array of objects, found "
                        + kind(t) + (t == JsonToken.START_OBJECT ? " (for one object per line, use JSON Lines: .jsonl)" : ""));
            }
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new BatchRefusedException(name + ": invalid JSON: the array is never closed (a ']' is missing)");
                }
                rowNo++;
                line = p.currentTokenLocation().getLineNr();
                String where = name + ": row " + rowNo + " (line " + line + ")";
                if (t != JsonToken.START_OBJECT) {
                    CsvReader.addCapped(problems, where + ": must be a JSON object, found " + kind(t));
                    p.skipChildren();
                    continue;
                }
                rows.add(new RawRow(rowNo, line, object(p, where, problems)));
            }
            t = p.nextToken();
            if (t != null) {
                throw new BatchRefusedException(name + ": line " + p.currentTokenLocation().getLineNr()
                        + ": more content after the end of the array (a batch is one JSON array)");
            }
        } catch (StreamConstraintsException e) {
            throw new BatchRefusedException(name + ": row " + (rowNo) + " (line " + line + "): "
                    + String.format("a value longer than the limit of %,d characters", Cells.MAX_VALUE_LENGTH));
        } catch (JsonProcessingException e) {
            throw new BatchRefusedException(name + ": invalid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        return rows;
    }

    public static List<RawRow> readLines(String name, String text) {
        List<RawRow> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int start = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
        int n = text.length();
        int lineNo = 0;
        while (start < n) {
            lineNo++;
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            int contentEnd = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = text.substring(start, contentEnd);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            int rowNo = rows.size() + 1;
            String where = name + ": row " + rowNo + " (line " + lineNo + ")";
            try (JsonParser p = FACTORY.createParser(line)) {
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_OBJECT) {
                    CsvReader.addCapped(problems, where + ": must be a JSON object, found " + kind(t));
                    rows.add(new RawRow(rowNo, lineNo, Map.of()));
                    continue;
                }
                Map<String, String> values = object(p, where, problems);
                if (p.nextToken() != null) {
                    CsvReader.addCapped(problems, where + ": more than one JSON value on the line (JSON Lines holds "
                            + "one object per line)");
                }
                rows.add(new RawRow(rowNo, lineNo, values));
            } catch (StreamConstraintsException e) {
                CsvReader.addCapped(problems, where + ": " + String.format(
                        "a value longer than the limit of %,d characters", Cells.MAX_VALUE_LENGTH));
                rows.add(new RawRow(rowNo, lineNo, Map.of()));
            } catch (JsonProcessingException e) {
                CsvReader.addCapped(problems, where + ": invalid JSON at column " + e.getLocation().getColumnNr()
                        + ": " + e.getOriginalMessage());
                rows.add(new RawRow(rowNo, lineNo, Map.of()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!problems.isEmpty()) {
            throw new BatchRefusedException(problems);
        }
        if (rows.isEmpty()) {
            throw new BatchRefusedException(name + ": empty file: a JSON Lines batch holds one object per line");
        }
        return rows;
    }

    /** Reads the members of the object whose START_OBJECT was just read. */
    private static Map<String, String> object(JsonParser p, String where, List<String> problems) throws IOException {
        Map<String, String> values = new HashMap<>();
        java.util.Set<String> nulls = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken v = p.nextToken();
            if (key.length() > Cells.MAX_NAME_LENGTH) {
                CsvReader.addCapped(problems, where + ": a key of " + key.length()
                        + " characters is longer than the limit of " + Cells.MAX_NAME_LENGTH);
                p.skipChildren();
                continue;
            }
            boolean duplicate = values.containsKey(key) || (nulls != null && nulls.contains(key));
            if (duplicate) {
                CsvReader.addCapped(problems, where + ", field " + Shown.quoted(key) + ": appears twice in the object");
            }
            switch (v) {
                case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> values.put(key, p.getText());
                case VALUE_TRUE -> values.put(key, "true");
                case VALUE_FALSE -> values.put(key, "false");
                case VALUE_NULL -> {
                    if (nulls == null) {
                        nulls = new java.util.HashSet<>();
                    }
                    nulls.add(key);
                }
                default -> {
                    CsvReader.addCapped(problems, where + ", field " + Shown.quoted(key)
                            + ": must be a string, number or boolean, found " + kind(v));
                    p.skipChildren();
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalStateException("unexpected token " + t);
        }
        return values;
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }
}
