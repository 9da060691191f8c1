package io.verops.archiver;

/** results.csv: one RFC 4180 row per input row, for spreadsheets and scripts. */
public final class ResultsCsv {
    public static final String HEADER = "item_id,row,status,message,retried,attempts,input_tokens,cached_input_tokens,output_tokens,reasoning_output_tokens";

    private ResultsCsv() {
    }

    public static String render(BatchReport report) {
        StringBuilder sb = new StringBuilder(HEADER).append("\r\n");
        for (BatchReport.Entry e : report.results()) {
            var u = e.usage();
            sb.append(cell(e.itemId())).append(',').append(e.row()).append(',').append(e.status().wire()).append(',')
                    .append(cell(e.message())).append(',').append(e.retried()).append(',').append(e.attempts())
                    .append(',').append(u == null ? 0 : u.inputTokens()).append(',')
                    .append(u == null ? 0 : u.cachedInputTokens()).append(',')
                    .append(u == null ? 0 : u.outputTokens()).append(',')
                    .append(u == null ? 0 : u.reasoningOutputTokens()).append("\r\n");
        }
        return sb.toString();
    }

    /** Quotes a cell when it holds a comma, quote or line break; a leading =,+,-,@ is neutralised for spreadsheets. */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        String s = v;
        if (!s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0) {
            s = "'" + s;
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") || !s.equals(v)) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
