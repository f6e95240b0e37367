package io.rankforge.io;

import io.rankforge.UserInputException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a user's file or stream up to a limit of {@link InputLimits}: the declared size is checked first, then the
 * stream itself stops with a {@link UserInputException} once it has delivered one byte more than the limit, so that
 * nothing larger than the limit is ever held in memory, whatever the file claims about itself.
 */
public final class BoundedInput {
    private BoundedInput() {}

    /**
     * The bytes of {@code file}, at most {@code limit} of them.
     *
     * @param what how a message names the file ("ranks file x.json")
     * @param key the limit's name in {@link InputLimits} ("json-bytes"), for the message
     */
    public static byte[] readBytes(Path file, long limit, String what, String key) {
        requireFile(file, what);
        try {
            checkDeclared(Files.size(file), limit, what, key);
            try (InputStream in = open(Files.newInputStream(file), limit, what, key)) {
                return in.readAllBytes();
            }
        } catch (NoSuchFileException e) {
            throw new UserInputException(what + " does not exist");
        } catch (IOException e) {
            throw new UserInputException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** The text of {@code file} (UTF-8), at most {@code limit} bytes of it. */
    public static String readString(Path file, long limit, String what, String key) {
        return new String(readBytes(file, limit, what, key), StandardCharsets.UTF_8);
    }

    /** Fails when a declared size (a file's length, a zip entry's size, a header's count) is over the limit. */
    public static void checkDeclared(long declared, long limit, String what, String key) {
        if (declared > limit) {
            throw tooLarge(what, "has " + declared + " bytes", limit, key);
        }
    }

    /** {@code in}, stopped with a UserInputException when it would deliver more than {@code limit} bytes. */
    public static InputStream open(InputStream in, long limit, String what, String key) {
        return new Limited(in, limit, what, key);
    }

    /** A directory or a missing path named as such, rather than as "no such file". */
    public static void requireFile(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(what + " is a directory; give a file");
        }
        if (!Files.exists(file)) {
            throw new UserInputException(what + " does not exist");
        }
    }

    public static UserInputException tooLarge(String what, String how, long limit, String key) {
        return new UserInputException(what + " " + how + " (the limit is " + limit + " bytes, " + InputLimits.PREFIX
                + key + "): give a smaller file or " + InputLimits.howToRaise(key));
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private final String what;
        private final String key;
        private long count;

        Limited(InputStream in, long limit, String what, String key) {
            super(in);
            this.limit = limit;
            this.what = what;
            this.key = key;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // never ask for more than one byte past the limit, so the overrun is seen without reading further
            long room = limit + 1 - count;
            int n = super.read(b, off, (int) Math.min(len, Math.max(1, room)));
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long s = super.skip(Math.min(n, Math.max(1, limit + 1 - count)));
            if (s > 0) {
                counted(s);
            }
            return s;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void counted(long n) {
            count += n;
            if (count > limit) {
                throw tooLarge(what, "holds more than " + limit + " bytes", limit, key);
            }
        }
    }
}
