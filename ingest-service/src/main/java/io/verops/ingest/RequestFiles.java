package io.verops.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;

/**
 * The batch files a request on the batches topic may name: only regular files inside one configured folder. A path
 * that leads outside it (through {@code ..}, as an absolute path, or by a symbolic link that resolves outside), a
 * missing, unreadable or oversized file is refused with the reason; without a folder, no file is read at all.
 */
public final class RequestFiles {
    /** The largest batch file read by default: 64 MiB. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

    private final Path folder;
    private final long maxBytes;

    private RequestFiles(Path folder, long maxBytes) {
        this.folder = folder;
        this.maxBytes = maxBytes;
    }

    /** No file references: every request naming a file is refused. */
    public static RequestFiles none() {
        return new RequestFiles(null, 0);
    }

    /**
     * Files under {@code folder} (which must exist), of at most {@code maxBytes} bytes each.
     *
     * @throws IllegalArgumentException when the folder is not one, or the size is not positive
     */
    public static RequestFiles under(Path folder, long maxBytes) {
        Objects.requireNonNull(folder, "folder == null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1 (found " + maxBytes + ")");
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(folder + " is not a folder");
        }
        return new RequestFiles(folder.toAbsolutePath().normalize(), maxBytes);
    }

    public boolean enabled() {
        return folder != null;
    }

    /**
     * Reads the file a request names, as a batch input named by the path as given.
     *
     * @param file   the path from the request, relative to the folder (an absolute path must lie inside it)
     * @param format the request's {@code format}, or null to go by the file's extension
     * @throws BatchRefusedException when the file may not or cannot be read
     */
    public BatchInput read(String file, String format) {
        Objects.requireNonNull(file, "file == null");
        String shown = "file '" + file + "'";
        if (folder == null) {
            throw new BatchRefusedException(shown + ": this ingest service reads no batch files (its "
                    + "verops.ingest.request-files-dir is not set); send the rows in the request instead, as 'rows' "
                    + "or as 'content' with 'format'");
        }
        if (file.isBlank()) {
            throw new BatchRefusedException(shown + ": the path is empty; name a batch file in the request files folder");
        }
        Path candidate;
        try {
            candidate = folder.resolve(file).normalize();
        } catch (InvalidPathException e) {
            throw new BatchRefusedException(shown + ": not a valid path (" + e.getReason() + ")");
        }
        if (candidate.equals(folder)) {
            throw new BatchRefusedException(shown + ": names the request files folder itself; name a file inside it");
        }
        if (!candidate.startsWith(folder)) {
            throw new BatchRefusedException(shown + ": the path leads outside the request files folder; "
                    + "name a file inside it, relative to it");
        }
        BatchFormat batchFormat = BatchFormat.select(format, candidate.getFileName().toString(), null);
        Path real;
        Path realFolder;
        try {
            realFolder = folder.toRealPath();
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            throw new BatchRefusedException(shown + ": no such file in the request files folder");
        } catch (AccessDeniedException e) {
            throw new BatchRefusedException(shown + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new BatchRefusedException(shown + ": cannot be read (" + reason(e) + ")");
        }
        if (!real.startsWith(realFolder)) {
            throw new BatchRefusedException(shown + ": a symbolic link that resolves outside the request files "
                    + "folder; copy the file into the folder instead");
        }
        try {
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                throw new BatchRefusedException(shown + ": not a regular file"
                        + (attributes.isDirectory() ? " (a folder)" : ""));
            }
            if (attributes.size() > maxBytes) {
                throw new BatchRefusedException(shown + ": " + count(attributes.size()) + " bytes is over the limit of "
                        + count(maxBytes) + " bytes for a batch file (split the batch)");
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
                content = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            }
            if (content.length > maxBytes) {
                throw new BatchRefusedException(shown + ": more than " + count(maxBytes)
                        + " bytes, the limit for a batch file (split the batch)");
            }
            return new BatchInput(file, batchFormat, content);
        } catch (AccessDeniedException e) {
            throw new BatchRefusedException(shown + ": cannot be read (permission denied)");
        } catch (IOException e) {
            throw new BatchRefusedException(shown + ": cannot be read (" + reason(e) + ")");
        }
    }

    /** Why an I/O operation failed, without the server's own path of the file. */
    private static String reason(IOException e) {
        String m = e instanceof java.nio.file.FileSystemException fs ? fs.getReason() : e.getMessage();
        return m == null ? "I/O error" : m;
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
