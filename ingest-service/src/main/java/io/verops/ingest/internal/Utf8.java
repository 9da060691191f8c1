package io.verops.ingest.internal;

import io.verops.ingest.BatchRefusedException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 decoding: invalid bytes refuse the batch, naming the line and byte offset; a UTF-16 or UTF-32
 * byte-order mark is named as such; NUL characters (binary data) refuse it. A UTF-8 byte-order mark is dropped.
 */
public final class Utf8 {
    private Utf8() {
    }

    public static String decode(String name, byte[] bytes) {
        String bomProblem = foreignByteOrderMark(bytes);
        if (bomProblem != null) {
            throw new BatchRefusedException(name + ": " + bomProblem + "; save the file as UTF-8");
        }
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        // The JDK's decoder is fastest; it replaces bad bytes with U+FFFD, so only then decode again strictly.
        String text = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') >= 0) {
            strictCheck(name, bytes, start);
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw new BatchRefusedException(name + ": line " + lineOf(text, nul)
                    + ": holds a NUL character: binary data or UTF-16 text, not a UTF-8 text batch");
        }
        return text;
    }

    private static void strictCheck(String name, byte[] bytes, int start) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = dec.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = start; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new BatchRefusedException(name + ": line " + line + ": not valid UTF-8 text (byte 0x"
                    + String.format("%02X", bytes[offset] & 0xff) + " at offset " + offset
                    + "; Latin-1 or Windows-1252 text, or binary data?); save the file as UTF-8");
        }
        try {
            dec.flush(out);
        } catch (RuntimeException e) {
            throw new BatchRefusedException(name + ": not valid UTF-8 text; save the file as UTF-8");
        }
    }

    private static String foreignByteOrderMark(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE && b[2] == 0 && b[3] == 0) {
            return "UTF-32 text (little-endian byte-order mark), not UTF-8";
        }
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) == 0xFE && (b[3] & 0xff) == 0xFF) {
            return "UTF-32 text (big-endian byte-order mark), not UTF-8";
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE) {
            return "UTF-16 text (little-endian byte-order mark), not UTF-8";
        }
        if (b.length >= 2 && (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF) {
            return "UTF-16 text (big-endian byte-order mark), not UTF-8";
        }
        return null;
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
