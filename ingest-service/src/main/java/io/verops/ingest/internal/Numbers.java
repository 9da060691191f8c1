package io.verops.ingest.internal;

import io.verops.core.operation.FieldSpec;
import io.verops.ingest.Normalized;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Integers and amounts, as exact decimals (never floating point). The decimal separator is the field's: a
 * point, or a comma when it declares {@code decimal_comma}; the other one groups thousands, as may spaces and
 * apostrophes. Separators that could be read two ways are refused: a single ',' or '.' followed by exactly
 * three digits ({@code 1,000}, {@code 1.000}) may be a thousands separator or a decimal one.
 * Amounts become {@code <plain decimal with the currency's ISO 4217 minor units> <ISO code>}.
 */
public final class Numbers {
    private static final int MAX_NUMBER_LENGTH = 40;

    /** A currency symbol: the currency it means on its own (null when shared), and every currency it may mean. */
    private record Symbol(String alone, Set<String> candidates) {
    }

    private static final Set<String> DOLLARS = Set.of("USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "MXN", "ARS",
            "CLP", "COP");
    private static final Map<String, Symbol> SYMBOLS = Map.ofEntries(
            Map.entry("$", new Symbol("USD", DOLLARS)),
            Map.entry("US$", new Symbol("USD", Set.of("USD"))),
            Map.entry("€", new Symbol("EUR", Set.of("EUR"))),
            Map.entry("£", new Symbol("GBP", Set.of("GBP"))),
            Map.entry("¥", new Symbol(null, Set.of("JPY", "CNY"))),
            Map.entry("￥", new Symbol(null, Set.of("JPY", "CNY"))),
            Map.entry("kr", new Symbol(null, Set.of("SEK", "NOK", "DKK", "ISK"))),
            Map.entry("kr.", new Symbol(null, Set.of("SEK", "NOK", "DKK", "ISK"))),
            Map.entry("C$", new Symbol(null, Set.of("CAD", "NIO"))),
            Map.entry("CA$", new Symbol("CAD", Set.of("CAD"))),
            Map.entry("A$", new Symbol("AUD", Set.of("AUD"))),
            Map.entry("AU$", new Symbol("AUD", Set.of("AUD"))),
            Map.entry("NZ$", new Symbol("NZD", Set.of("NZD"))),
            Map.entry("HK$", new Symbol("HKD", Set.of("HKD"))),
            Map.entry("S$", new Symbol("SGD", Set.of("SGD"))),
            Map.entry("R$", new Symbol("BRL", Set.of("BRL"))),
            Map.entry("₹", new Symbol("INR", Set.of("INR"))),
            Map.entry("₩", new Symbol("KRW", Set.of("KRW"))),
            Map.entry("₽", new Symbol("RUB", Set.of("RUB"))),
            Map.entry("₺", new Symbol("TRY", Set.of("TRY"))),
            Map.entry("₪", new Symbol("ILS", Set.of("ILS"))),
            Map.entry("₴", new Symbol("UAH", Set.of("UAH"))),
            Map.entry("₦", new Symbol("NGN", Set.of("NGN"))),
            Map.entry("₫", new Symbol("VND", Set.of("VND"))),
            Map.entry("zł", new Symbol("PLN", Set.of("PLN"))),
            Map.entry("Kč", new Symbol("CZK", Set.of("CZK"))));

    private Numbers() {
    }

    /** The symbols understood, for documentation and messages. */
    public static Set<String> symbols() {
        return SYMBOLS.keySet();
    }

    // ---- integers -----------------------------------------------------------------------------------------

    public static Normalized integer(String v, FieldSpec spec) {
        int n = v.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && isSign(v.charAt(0))) {
            negative = v.charAt(0) != '+';
            i = 1;
        }
        if (i == n) {
            return invalidInteger(v, "no digits");
        }
        // fast path: plain digits
        boolean plain = true;
        for (int k = i; k < n; k++) {
            char c = v.charAt(k);
            if (c < '0' || c > '9') {
                plain = false;
                break;
            }
        }
        String digits;
        if (plain) {
            if (n - i > MAX_NUMBER_LENGTH) {
                return invalidInteger(v, "more than " + MAX_NUMBER_LENGTH + " digits");
            }
            digits = v.substring(i);
        } else {
            Parsed p = parse(v.substring(i), spec.decimalComma());
            if (p.problem != null) {
                return p.ambiguous ? Normalized.invalid("ambiguous integer " + Shown.quoted(v) + ": " + p.problem)
                        : invalidInteger(v, p.problem);
            }
            if (p.fraction != null) {
                return invalidInteger(v, "not a whole number");
            }
            digits = p.integer;
        }
        String canonical = signed(negative, withoutLeadingZeros(digits));
        if (spec.minimum() != null || spec.maximum() != null) {
            String bound = boundProblem(new BigDecimal(canonical), spec, canonical);
            if (bound != null) {
                return invalidInteger(v, bound);
            }
        }
        return Normalized.ok(canonical);
    }

    // ---- amounts ------------------------------------------------------------------------------------------

    public static Normalized amount(String v, FieldSpec spec) {
        int n = v.length();
        int i = 0;
        boolean negative = false;
        boolean signed = false;
        if (isSign(v.charAt(0))) {
            negative = v.charAt(0) != '+';
            signed = true;
            i = skipSpaces(v, 1);
        }
        int prefixStart = i;
        while (i < n) {
            char c = v.charAt(i);
            if (isDigit(c) || isSign(c) || isSpace(c)
                    || ((c == '.' || c == ',') && i + 1 < n && isDigit(v.charAt(i + 1)))) {
                break;
            }
            i++;
        }
        String prefix = v.substring(prefixStart, i);
        i = skipSpaces(v, i);
        if (i < n && isSign(v.charAt(i))) {
            if (signed) {
                return invalidAmount(v, "two signs");
            }
            negative = v.charAt(i) != '+';
            i = skipSpaces(v, i + 1);
        }
        int numberStart = i;
        while (i < n) {
            char c = v.charAt(i);
            if (isDigit(c) || c == '.' || c == ',' || c == '\'') {
                i++;
            } else if (isSpace(c) && i > numberStart && i + 1 < n && isDigit(v.charAt(i + 1))) {
                i++;
            } else {
                break;
            }
        }
        String number = v.substring(numberStart, i);
        String suffix = v.substring(skipSpaces(v, i));
        if (number.isEmpty()) {
            return invalidAmount(v, "no number; write it like 1000.50 USD, USD 1,000.50 or $12");
        }
        for (int k = 0; k < suffix.length(); k++) {
            char c = suffix.charAt(k);
            if (isDigit(c) || isSign(c) || isSpace(c)) {
                return invalidAmount(v, "not an amount; write it like 1000.50 USD, USD 1,000.50 or $12");
            }
        }

        String declared = spec.currency();
        String code = null;
        for (String token : new String[] {prefix, suffix}) {
            if (token.isEmpty()) {
                continue;
            }
            Resolved r = currency(token, declared);
            if (r.problem != null) {
                return invalidAmount(v, r.problem);
            }
            if (code != null && !code.equals(r.code)) {
                return invalidAmount(v, "names two currencies (" + code + " and " + r.code + ")");
            }
            code = r.code;
        }
        if (code == null) {
            if (declared == null) {
                return invalidAmount(v, "no currency; write it like 12.50 USD or $12.50 (or declare the field's "
                        + "currency in its operation)");
            }
            code = declared;
        } else if (declared != null && !declared.equals(code)) {
            return invalidAmount(v, "is in " + code + ", but this field takes " + declared + " only");
        }
        int minorUnits = Currency.getInstance(code).getDefaultFractionDigits();
        if (minorUnits < 0) {
            return invalidAmount(v, code + " has no decimal places defined; it cannot hold an amount");
        }

        Parsed p = parse(number, spec.decimalComma());
        if (p.problem != null) {
            return p.ambiguous ? Normalized.invalid("ambiguous amount " + Shown.quoted(v) + ": " + p.problem)
                    : invalidAmount(v, p.problem);
        }
        int decimals = p.fraction == null ? 0 : p.fraction.length();
        if (decimals > minorUnits) {
            return invalidAmount(v, minorUnits == 0 ? code + " has no decimal places"
                    : code + " has " + minorUnits + " decimal place" + (minorUnits == 1 ? "" : "s") + ", this value has "
                    + decimals);
        }
        // the canonical decimal, spelled from the digits: exact, no floating point, no rounding
        StringBuilder spelled = new StringBuilder(p.integer.length() + minorUnits + 8);
        String integerDigits = withoutLeadingZeros(p.integer);
        spelled.append(integerDigits);
        boolean zero = integerDigits.equals("0");
        if (minorUnits > 0) {
            spelled.append('.');
            String fraction = p.fraction == null ? "" : p.fraction;
            spelled.append(fraction);
            for (int k = fraction.length(); k < minorUnits; k++) {
                spelled.append('0');
            }
            for (int k = 0; k < fraction.length() && zero; k++) {
                zero = fraction.charAt(k) == '0';
            }
        }
        String decimal = (negative && !zero ? "-" : "") + spelled;
        String canonical = decimal + " " + code;
        boolean minimumHolds = spec.minimum() == null || (spec.minimum().signum() <= 0 && !decimal.startsWith("-"));
        if (!minimumHolds || spec.maximum() != null) {
            String bound = boundProblem(new BigDecimal(decimal), spec, canonical);
            if (bound != null) {
                return invalidAmount(v, bound);
            }
        }
        return Normalized.ok(canonical);
    }

    private record Resolved(String code, String problem) {
    }

    private static Resolved currency(String token, String declared) {
        Symbol symbol = SYMBOLS.get(token);
        if (symbol != null) {
            if (declared != null) {
                return symbol.candidates.contains(declared) ? new Resolved(declared, null)
                        : new Resolved(null, "'" + token + "' is not a symbol of " + declared
                        + ", the only currency this field takes");
            }
            if (symbol.alone == null) {
                return new Resolved(null, "'" + token + "' is the symbol of several currencies ("
                        + String.join(", ", symbol.candidates.stream().sorted().toList())
                        + "); write the ISO code, e.g. 12 " + symbol.candidates.stream().sorted().findFirst().orElse("")
                        + ", or declare the field's currency");
            }
            return new Resolved(symbol.alone, null);
        }
        if (token.length() == 3 && isAsciiLetters(token)) {
            String code = token.toUpperCase(Locale.ROOT);
            try {
                Currency c = Currency.getInstance(code);
                if (c.getDefaultFractionDigits() < 0) {
                    return new Resolved(null, code + " is not a currency that holds amounts (no decimal places defined)");
                }
                return new Resolved(code, null);
            } catch (IllegalArgumentException e) {
                return new Resolved(null, "'" + token + "' is not an ISO 4217 currency code");
            }
        }
        return new Resolved(null, "'" + token + "' is not a currency code or a known symbol; write an ISO 4217 "
                + "code such as USD or EUR");
    }

    // ---- digits and separators ----------------------------------------------------------------------------

    /** The digits before and after the decimal separator, or why the number cannot be read. */
    private record Parsed(String integer, String fraction, String problem, boolean ambiguous) {
        static Parsed ok(String integer, String fraction) {
            return new Parsed(integer, fraction, null, false);
        }

        static Parsed bad(String problem) {
            return new Parsed(null, null, problem, false);
        }
    }

    private static Parsed parse(String s, boolean decimalComma) {
        int n = s.length();
        if (n > MAX_NUMBER_LENGTH) {
            return Parsed.bad("more than " + MAX_NUMBER_LENGTH + " characters");
        }
        boolean anyDigit = false;
        for (int i = 0; i < n && !anyDigit; i++) {
            anyDigit = isDigit(s.charAt(i));
        }
        if (!anyDigit) {
            return Parsed.bad("not a number");
        }
        char dec = decimalComma ? ',' : '.';
        char group = decimalComma ? '.' : ',';
        int dots = 0;
        int commas = 0;
        int lastDot = -1;
        int lastComma = -1;
        int otherGroups = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
                lastDot = i;
            } else if (c == ',') {
                commas++;
                lastComma = i;
            } else if (c == '\'' || isSpace(c)) {
                otherGroups++;
            } else if (!isDigit(c)) {
                return Parsed.bad("unexpected character '" + c + "'");
            }
        }
        if (!isDigit(s.charAt(0)) || !isDigit(s.charAt(n - 1))) {
            return Parsed.bad("a number starts and ends with a digit");
        }
        String convention = decimalComma ? "this field uses a decimal comma and '.' to group thousands"
                : "this field uses a decimal point and ',' to group thousands (declare decimal_comma for 12,50)";
        int decimalAt = -1;
        if (dots > 0 && commas > 0) {
            int last = Math.max(lastDot, lastComma);
            if (s.charAt(last) != dec) {
                return Parsed.bad("'" + s.charAt(last) + "' is used as the decimal separator, but " + convention);
            }
            if ((dec == '.' ? dots : commas) > 1) {
                return Parsed.bad("more than one decimal separator '" + dec + "'");
            }
            decimalAt = last;
        } else if (dots + commas == 1) {
            int at = dots == 1 ? lastDot : lastComma;
            char c = s.charAt(at);
            int after = n - at - 1;
            if (after == 3 && otherGroups == 0) {
                return new Parsed(null, null, "'" + c + "' followed by three digits may group thousands or be a "
                        + "decimal separator; write the number without grouping (1000) or with its decimals (1,000.00)",
                        true);
            }
            if (c == dec) {
                decimalAt = at;
            } else if (after != 3) {
                return Parsed.bad("'" + c + "' followed by " + after + " digit" + (after == 1 ? "" : "s")
                        + " is a decimal separator, but " + convention);
            }
        } else if (dots + commas > 1) {
            char c = dots > 0 ? '.' : ',';
            if (c == dec) {
                return Parsed.bad("'" + c + "' appears " + (dots + commas) + " times, but " + convention);
            }
        }
        String integerPart = decimalAt < 0 ? s : s.substring(0, decimalAt);
        String fraction = decimalAt < 0 ? null : s.substring(decimalAt + 1);
        if (fraction != null) {
            for (int i = 0; i < fraction.length(); i++) {
                if (!isDigit(fraction.charAt(i))) {
                    return Parsed.bad("digits after the decimal separator cannot be grouped");
                }
            }
        }
        StringBuilder digits = new StringBuilder(integerPart.length());
        char separator = 0;
        int groupLength = 0;
        boolean firstGroup = true;
        for (int i = 0; i < integerPart.length(); i++) {
            char c = integerPart.charAt(i);
            if (isDigit(c)) {
                digits.append(c);
                groupLength++;
                continue;
            }
            if (separator == 0) {
                separator = c;
            } else if (separator != c) {
                return Parsed.bad("mixes '" + separator + "' and '" + c + "' to group digits");
            }
            if (c == dec) {
                return Parsed.bad("'" + c + "' cannot group thousands: " + convention);
            }
            if ((firstGroup && (groupLength < 1 || groupLength > 3)) || (!firstGroup && groupLength != 3)) {
                return Parsed.bad("digits are grouped irregularly; group them by three (1,000,000)");
            }
            firstGroup = false;
            groupLength = 0;
        }
        if (separator != 0 && groupLength != 3) {
            return Parsed.bad("digits are grouped irregularly; group them by three (1,000,000)");
        }
        if (separator != 0 && separator != group && separator != '\'' && !isSpace(separator)) {
            return Parsed.bad("'" + separator + "' cannot group thousands: " + convention);
        }
        return Parsed.ok(digits.toString(), fraction);
    }

    private static String withoutLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return i == 0 ? digits : digits.substring(i);
    }

    private static String signed(boolean negative, String digits) {
        return negative && !digits.equals("0") ? "-" + digits : digits;
    }

    private static String boundProblem(BigDecimal value, FieldSpec spec, String shown) {
        if (spec.minimum() != null && value.compareTo(spec.minimum()) < 0) {
            return shown + " is below the minimum of " + spec.minimum().toPlainString();
        }
        if (spec.maximum() != null && value.compareTo(spec.maximum()) > 0) {
            return shown + " is above the maximum of " + spec.maximum().toPlainString();
        }
        return null;
    }

    private static Normalized invalidInteger(String v, String why) {
        return Normalized.invalid("invalid integer " + Shown.quoted(v) + ": " + why);
    }

    private static Normalized invalidAmount(String v, String why) {
        return Normalized.invalid("invalid amount " + Shown.quoted(v) + ": " + why);
    }

    private static int skipSpaces(String v, int i) {
        while (i < v.length() && isSpace(v.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isSign(char c) {
        return c == '-' || c == '+' || c == '\u2212';
    }

    /** A space, a no-break space, a narrow no-break space or a thin space (all used to group digits). */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\u00A0' || c == '\u202F' || c == '\u2009';
    }

    private static boolean isAsciiLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
    }
}
