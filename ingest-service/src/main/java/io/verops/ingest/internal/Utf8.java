package io.verops.ingest.internal;

import io.verops.ingest.BatchRefusedException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: invalid bytes refuse the batch, naming the byte offset. A BOM is dropped. */
public final class Utf8 {
    private Utf8() {
    }

    public static String decode(String name, byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF ? 3 : 0;
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = dec.decode(in, out, true);
        if (result.isError()) {
            throw new BatchRefusedException(name + ": not valid UTF-8 text (bad byte at offset " + in.position()
                    + "); save the file as UTF-8");
        }
        dec.flush(out);
        out.flip();
        String text = out.toString();
        if (text.indexOf('\0') >= 0) {
            throw new BatchRefusedException(name + ": holds NUL characters: binary data, not a text batch");
        }
        return text;
    }

}
