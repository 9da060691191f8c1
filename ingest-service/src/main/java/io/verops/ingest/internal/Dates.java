package io.verops.ingest.internal;

import io.verops.ingest.Normalized;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dates to {@code YYYY-MM-DD} and date-times to UTC {@code YYYY-MM-DDTHH:MM:SS[.fff]Z}. Only forms with one
 * possible reading are accepted: a numeric day/month order is taken from the field's {@code date_order}, or
 * from the value when only one order gives a real date; impossible dates and two-digit years are refused.
 */
public final class Dates {
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})([-/])(\\d{2})\\2(\\d{2})[Tt ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?"
                    + "\\s*(Z|z|UTC|GMT|[+\\-\u2212]\\d{2}(?::?\\d{2})?)?");
    private static final Instant FIRST = LocalDateTime.of(1, 1, 1, 0, 0).toInstant(ZoneOffset.UTC);
    private static final Instant LAST = LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999).toInstant(ZoneOffset.UTC);
    private static final Map<String, Month> MONTHS = withTitleCase(Map.ofEntries(
            Map.entry("jan", Month.JANUARY), Map.entry("january", Month.JANUARY),
            Map.entry("feb", Month.FEBRUARY), Map.entry("february", Month.FEBRUARY),
            Map.entry("mar", Month.MARCH), Map.entry("march", Month.MARCH),
            Map.entry("apr", Month.APRIL), Map.entry("april", Month.APRIL),
            Map.entry("may", Month.MAY),
            Map.entry("jun", Month.JUNE), Map.entry("june", Month.JUNE),
            Map.entry("jul", Month.JULY), Map.entry("july", Month.JULY),
            Map.entry("aug", Month.AUGUST), Map.entry("august", Month.AUGUST),
            Map.entry("sep", Month.SEPTEMBER), Map.entry("sept", Month.SEPTEMBER), Map.entry("september", Month.SEPTEMBER),
            Map.entry("oct", Month.OCTOBER), Map.entry("october", Month.OCTOBER),
            Map.entry("nov", Month.NOVEMBER), Map.entry("november", Month.NOVEMBER),
            Map.entry("dec", Month.DECEMBER), Map.entry("december", Month.DECEMBER)));

    /** The month names as written in lower case and in title case (Jun, June), looked up without case folding. */
    private static Map<String, Month> withTitleCase(Map<String, Month> lower) {
        Map<String, Month> all = new java.util.HashMap<>(lower);
        lower.forEach((k, m) -> all.put(Character.toUpperCase(k.charAt(0)) + k.substring(1), m));
        return Map.copyOf(all);
    }

    private Dates() {
    }

    /**
     * A calendar date.
     *
     * @param dateOrder {@code DMY}, {@code MDY}, or null when the field declares none
     */
    public static Normalized date(String v, String dateOrder) {
        if (isIsoDate(v)) {
            return ymd(v, digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10));
        }
        Tokens t = Tokens.of(v);
        if (t != null) {
            switch (t.shape) {
                case "9-9-9", "9/9/9", "9.9.9" -> {
                    int la = t.length(0);
                    int lb = t.length(1);
                    int lc = t.length(2);
                    if (la == 4 && lb <= 2 && lc <= 2) {
                        return ymd(v, t.number(0), t.number(1), t.number(2));
                    }
                    if (la <= 2 && lb <= 2 && lc == 4) {
                        return numericYearLast(v, t.number(0), t.number(1), t.number(2), dateOrder);
                    }
                    if (la <= 2 && lb <= 2 && lc == 2) {
                        return invalid(v, "a two-digit year is refused (which century?); write the year in full, "
                                + "e.g. 2026-06-01");
                    }
                }
                case "9 A 9", "9-A-9" -> {
                    if (t.length(0) <= 2 && t.length(2) == 4) {
                        return named(v, t.number(0), t.text(1), t.number(2));
                    }
                }
                case "A 9 9" -> {
                    if (t.length(1) <= 2 && t.length(2) == 4) {
                        return named(v, t.number(1), t.text(0), t.number(2));
                    }
                }
                default -> {
                    // not a date form; refused below
                }
            }
        }
        if (DATE_TIME.matcher(v).matches() || v.matches("\\d{4}-\\d{2}-\\d{2}[Tt].*")) {
            return invalid(v, "a date and time, not a date; give the date only, e.g. " + v.substring(0, 10));
        }
        return invalid(v, "not a recognised date; write it as YYYY-MM-DD, e.g. 2026-06-01");
    }

    /**
     * A value cut into numbers ('9'), words ('A') and single separators, with the decorations of written dates
     * dropped: an ordinal suffix after a number (1st), a dot after a word (Jun.), a comma before a space
     * (June 1, 2026). {@code shape} spells the tokens, e.g. {@code 9/9/9} or {@code A 9 9}. Null for long values.
     */
    private static final class Tokens {
        private static final int MAX = 8;
        final String v;
        final int[] start = new int[MAX];
        final int[] end = new int[MAX];
        int count;
        String shape;

        private Tokens(String v) {
            this.v = v;
        }

        static Tokens of(String v) {
            if (v.length() > 40) {
                return null;
            }
            Tokens t = new Tokens(v);
            StringBuilder shape = new StringBuilder(8);
            int n = v.length();
            int i = 0;
            while (i < n) {
                char c = v.charAt(i);
                int from = i;
                char kind;
                if (c >= '0' && c <= '9') {
                    while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
                        i++;
                    }
                    kind = '9';
                } else if (Character.isLetter(c)) {
                    while (i < n && Character.isLetter(v.charAt(i))) {
                        i++;
                    }
                    char last = shape.length() == 0 ? 0 : shape.charAt(shape.length() - 1);
                    if (last == '9' && isOrdinal(v, from, i)) {
                        continue; // 1st, 2nd, 3rd, 4th
                    }
                    kind = 'A';
                } else if (Character.isWhitespace(c)) {
                    while (i < n && Character.isWhitespace(v.charAt(i))) {
                        i++;
                    }
                    kind = ' ';
                } else {
                    i++;
                    char last = shape.length() == 0 ? 0 : shape.charAt(shape.length() - 1);
                    if ((c == '.' && last == 'A') || (c == ',' && i < n && Character.isWhitespace(v.charAt(i)))) {
                        continue; // Jun. / June 1, 2026
                    }
                    kind = c;
                }
                if (kind == '9' || kind == 'A') {
                    if (t.count == MAX) {
                        return null;
                    }
                    t.start[t.count] = from;
                    t.end[t.count] = i;
                    t.count++;
                }
                shape.append(kind);
            }
            t.shape = shape.toString();
            return t;
        }

        private static boolean isOrdinal(String v, int from, int to) {
            if (to - from != 2) {
                return false;
            }
            String s = v.substring(from, to).toLowerCase(Locale.ROOT);
            return s.equals("st") || s.equals("nd") || s.equals("rd") || s.equals("th");
        }

        int length(int token) {
            return end[token] - start[token];
        }

        int number(int token) {
            return digits(v, start[token], end[token]);
        }

        String text(int token) {
            return v.substring(start[token], end[token]);
        }
    }

    /** An instant, converted to UTC. A local time without an offset is refused: its instant is unknown. */
    public static Normalized dateTime(String v) {
        if (v.length() == 20 && v.charAt(19) == 'Z' && v.charAt(10) == 'T' && isIsoDate(v.substring(0, 10))
                && v.charAt(13) == ':' && v.charAt(16) == ':' && allDigits(v, 11, 13) && allDigits(v, 14, 16)
                && allDigits(v, 17, 19)) {
            String dateProblem = dateProblem(digits(v, 0, 4), digits(v, 5, 7), digits(v, 8, 10));
            if (dateProblem != null) {
                return invalidDateTime(v, dateProblem);
            }
            if (digits(v, 11, 13) > 23 || digits(v, 14, 16) > 59 || digits(v, 17, 19) > 59) {
                return invalidDateTime(v, "no such time of day (hours 00-23, minutes and seconds 00-59)");
            }
            return Normalized.ok(v);
        }
        Matcher m = DATE_TIME.matcher(v);
        if (m.matches()) {
            String zone = m.group(9);
            if (zone == null) {
                return invalidDateTime(v, "no UTC offset, so the instant is unknown; add Z or an offset such as +02:00");
            }
            int year = Integer.parseInt(m.group(1));
            int month = Integer.parseInt(m.group(3));
            int day = Integer.parseInt(m.group(4));
            String dateProblem = dateProblem(year, month, day);
            if (dateProblem != null) {
                return invalidDateTime(v, dateProblem);
            }
            int hour = Integer.parseInt(m.group(5));
            int minute = Integer.parseInt(m.group(6));
            int second = m.group(7) == null ? 0 : Integer.parseInt(m.group(7));
            if (hour > 23 || minute > 59 || second > 59) {
                return invalidDateTime(v, "no such time of day (hours 00-23, minutes and seconds 00-59)");
            }
            int nanos = 0;
            if (m.group(8) != null) {
                String f = (m.group(8) + "000000000").substring(0, 9);
                nanos = Integer.parseInt(f);
            }
            ZoneOffset offset;
            try {
                offset = offset(zone);
            } catch (DateTimeException e) {
                return invalidDateTime(v, "no such UTC offset '" + zone + "' (offsets run from -18:00 to +18:00)");
            }
            Instant instant = LocalDateTime.of(year, month, day, hour, minute, second, nanos).toInstant(offset);
            return utc(v, instant);
        }
        if (!v.isEmpty() && Character.isLetter(v.charAt(0))) {
            try {
                return utc(v, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                // not RFC 1123 either; refused below
            }
        }
        Normalized asDate = date(v, null);
        if (asDate.isValid()) {
            return invalidDateTime(v, "a date without a time; give the time and its offset, e.g. "
                    + asDate.value() + "T00:00:00Z");
        }
        if (v.matches("[0-9]{9,}")) {
            return invalidDateTime(v, "a bare number (epoch seconds or milliseconds?) is refused; write it as "
                    + "YYYY-MM-DDTHH:MM:SSZ");
        }
        return invalidDateTime(v, "not a recognised date-time; write it as RFC 3339, e.g. 2026-06-01T10:00:00Z "
                + "or 2026-06-01T12:00:00+02:00");
    }

    private static Normalized utc(String v, Instant instant) {
        if (instant.isBefore(FIRST) || instant.isAfter(LAST)) {
            return invalidDateTime(v, "outside the years 0001 to 9999 in UTC");
        }
        return Normalized.ok(instant.toString());
    }

    private static ZoneOffset offset(String zone) {
        if (zone.equalsIgnoreCase("Z") || zone.equals("UTC") || zone.equals("GMT")) {
            return ZoneOffset.UTC;
        }
        int sign = zone.charAt(0) == '+' ? 1 : -1;
        String digits = zone.substring(1).replace(":", "");
        int hours = Integer.parseInt(digits.substring(0, 2));
        int minutes = digits.length() > 2 ? Integer.parseInt(digits.substring(2)) : 0;
        if (minutes > 59) {
            throw new DateTimeException("minutes");
        }
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    private static Normalized numericYearLast(String v, int a, int b, int year, String dateOrder) {
        if ("DMY".equals(dateOrder) || "MDY".equals(dateOrder)) {
            boolean dmy = dateOrder.equals("DMY");
            int day = dmy ? a : b;
            int month = dmy ? b : a;
            String p = dateProblem(year, month, day);
            return p == null ? Normalized.ok(iso(year, month, day))
                    : invalid(v, p + " (the field's date_order is " + dateOrder + ")");
        }
        String asDmy = dateProblem(year, b, a);
        String asMdy = dateProblem(year, a, b);
        if (asDmy == null && asMdy == null) {
            if (a == b) {
                return Normalized.ok(iso(year, a, a));
            }
            return Normalized.invalid("ambiguous date " + Shown.quoted(v) + ": " + spoken(year, b, a) + " (day first) or "
                    + spoken(year, a, b) + " (month first); write it as YYYY-MM-DD, or declare date_order "
                    + "DMY or MDY for this field");
        }
        if (asDmy == null) {
            return Normalized.ok(iso(year, b, a));
        }
        if (asMdy == null) {
            return Normalized.ok(iso(year, a, b));
        }
        return invalid(v, "not a date with the day first (" + asDmy + ") nor with the month first (" + asMdy + ")");
    }

    private static Normalized named(String v, int day, String monthName, int year) {
        Month month = MONTHS.get(monthName);
        if (month == null) {
            month = MONTHS.get(monthName.toLowerCase(Locale.ROOT));
        }
        if (month == null) {
            return invalid(v, "'" + monthName + "' is not an English month name");
        }
        return ymd(v, year, month.getValue(), day);
    }

    private static Normalized ymd(String v, int year, int month, int day) {
        String p = dateProblem(year, month, day);
        return p == null ? Normalized.ok(iso(year, month, day)) : invalid(v, p);
    }

    /** Null when year-month-day is a real date, else why not ("February 2026 has 28 days"). */
    static String dateProblem(int year, int month, int day) {
        if (year < 1) {
            return "there is no year 0";
        }
        if (month < 1 || month > 12) {
            return "there is no month " + month;
        }
        int length = Month.of(month).length(Year.isLeap(year));
        if (day < 1 || day > length) {
            String monthName = Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            return month == 2 ? "February " + year + " has " + length + " days"
                    : monthName + " has " + length + " days";
        }
        return null;
    }

    private static String iso(int year, int month, int day) {
        char[] c = {
                (char) ('0' + year / 1000), (char) ('0' + year / 100 % 10), (char) ('0' + year / 10 % 10),
                (char) ('0' + year % 10), '-', (char) ('0' + month / 10), (char) ('0' + month % 10), '-',
                (char) ('0' + day / 10), (char) ('0' + day % 10)};
        return new String(c);
    }

    private static String spoken(int year, int month, int day) {
        return day + " " + Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + year;
    }

    private static boolean isIsoDate(String v) {
        if (v.length() != 10 || v.charAt(4) != '-' || v.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (v.charAt(i) < '0' || v.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean allDigits(String v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int digits(String v, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = n * 10 + (v.charAt(i) - '0');
        }
        return n;
    }

    private static Normalized invalid(String v, String why) {
        return Normalized.invalid("invalid date " + Shown.quoted(v) + ": " + why);
    }

    private static Normalized invalidDateTime(String v, String why) {
        return Normalized.invalid("invalid date-time " + Shown.quoted(v) + ": " + why);
    }
}
