package io.verops.archiver.internal;

import java.util.Base64;
import java.util.Objects;

/** PEM text (RFC 7468): a base64 body between BEGIN and END lines naming its type. */
public final class Pem {
    private Pem() {
    }

    public static String encode(String type, byte[] der) {
        Objects.requireNonNull(type, "type == null");
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /**
     * The DER bytes of the first block of the given type.
     *
     * @param what names the text in the error message ("--key keys/ops.pem")
     * @throws IllegalArgumentException when there is no such block or its body is not base64
     */
    public static byte[] decode(String text, String type, String what) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b < 0 || e < 0) {
            String found = text.contains("-----BEGIN ") ? text.substring(text.indexOf("-----BEGIN ")).lines().findFirst().orElse("")
                    : "no PEM block";
            throw new IllegalArgumentException(what + ": expected a PEM block '" + begin + "', found " + found);
        }
        String body = text.substring(b + begin.length(), e).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(what + ": the " + type + " block is not valid base64", ex);
        }
    }
}
