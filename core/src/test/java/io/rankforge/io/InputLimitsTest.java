package io.rankforge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.model.ModelLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15: bounded reads of users' files, capped listings, writable outputs and the mode of result files. */
class InputLimitsTest {
    @TempDir
    Path dir;

    @Test
    void aBoundedStreamStopsOneByteOverTheLimit() throws IOException {
        byte[] ten = new byte[10];
        try (InputStream in = BoundedInput.open(new ByteArrayInputStream(ten), 10, "f", "json-bytes")) {
            assertArrayEquals(ten, in.readAllBytes());
        }
        InputStream over = BoundedInput.open(new ByteArrayInputStream(new byte[11]), 10, "file x", "json-bytes");
        UserInputException e = assertThrows(UserInputException.class, over::readAllBytes);
        assertTrue(
                e.getMessage().startsWith("file x holds more than 10 bytes")
                        && e.getMessage().contains("rankforge.limits.json-bytes"),
                e.getMessage());
        UserInputException declared =
                assertThrows(UserInputException.class, () -> BoundedInput.checkDeclared(11, 10, "f", "text-bytes"));
        assertTrue(declared.getMessage().contains("has 11 bytes"), declared.getMessage());
    }

    @Test
    void limitsAreOverriddenBySystemProperties() {
        assertEquals(InputLimits.DEFAULT_JSON_BYTES, InputLimits.current().jsonBytes());
        assertEquals(512L << 20, InputLimits.parseSize("512m"));
        assertEquals(-1, InputLimits.parseSize("lots"));
        String key = InputLimits.PREFIX + "json-bytes";
        try {
            System.setProperty(key, "2k");
            assertEquals(2048, InputLimits.current().jsonBytes());
            System.setProperty(key, "-3");
            UserInputException e = assertThrows(UserInputException.class, InputLimits::current);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        } finally {
            System.clearProperty(key);
        }
    }

    /** Issue 15, item 1: a model zip whose configuration.json inflates past the limit is refused while reading it. */
    @Test
    void aZipBombInAModelsConfigurationIsStoppedAtTheLimit() throws IOException {
        Path zip = dir.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("configuration.json"));
            byte[] spaces = new byte[1 << 20];
            Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 8; i++) {
                out.write(spaces);
            }
            out.write("{\"confs\": []}".getBytes(StandardCharsets.UTF_8));
        }
        String key = InputLimits.PREFIX + "json-bytes";
        try {
            System.setProperty(key, "1m");
            UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(zip));
            assertTrue(e.getMessage().contains(zip.toString()) && e.getMessage().contains(key), e.getMessage());
        } finally {
            System.clearProperty(key);
        }
        // the same entry counted against the model limit, whatever the entry's declared size says
        String model = InputLimits.PREFIX + "model-bytes";
        try {
            System.setProperty(model, "4m");
            UserInputException e = assertThrows(UserInputException.class, () -> ModelLoader.load(zip));
            assertTrue(e.getMessage().contains(model), e.getMessage());
        } finally {
            System.clearProperty(model);
        }
    }

    @Test
    void listingsAreCapped() {
        assertEquals("a, b", Listing.of(List.of("a", "b")));
        List<String> many = java.util.stream.IntStream.range(0, 2_400_000)
                .mapToObj(i -> "l" + i)
                .toList();
        String s = Listing.of(many);
        assertTrue(s.endsWith(" and 2,399,990 more") && s.startsWith("l0, l1,"), s);
        assertEquals(Listing.MAX_ITEM_CHARS, Listing.shorten("x".repeat(1000)).length());
    }

    /** Issue 15, item 3: an output under /proc, or that is a directory, is refused before any work. */
    @Test
    void unwritableOutputsAreRefusedNamingThem() throws IOException {
        UserInputException proc = assertThrows(
                UserInputException.class,
                () -> OutputPaths.requireWritableFile(Path.of("/proc/x.json"), "outputFile /proc/x.json", "p.json"));
        assertTrue(proc.getMessage().contains("/proc/x.json"), proc.getMessage());
        UserInputException folder = assertThrows(
                UserInputException.class, () -> OutputPaths.requireWritableFile(dir, "outputFile " + dir, "p.json"));
        assertTrue(folder.getMessage().contains("is a directory"), folder.getMessage());
        UserInputException write = assertThrows(
                UserInputException.class, () -> AtomicFiles.writeString(Path.of("/proc/rankforge-x.json"), "{}"));
        assertTrue(write.getMessage().contains("/proc/rankforge-x.json"), write.getMessage());
        OutputPaths.requireWritableFile(dir.resolve("new/sub/p.json"), "outputFile", "p.json");
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "the check creates nothing");
        }
    }

    /** Issue 15, item 9: a result file gets the mode of any new file of the user, not createTempFile's 0600. */
    @Test
    void resultFilesGetTheUsersNormalMode() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain.txt")); // default mode: 0666 less the umask
        Path result = dir.resolve("result.json");
        AtomicFiles.writeString(result, "{}");
        assertEquals(
                PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(result)));
        Files.setPosixFilePermissions(result, PosixFilePermissions.fromString("rw-rw-r--"));
        AtomicFiles.writeString(result, "{\"v\": 2}");
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(result)));
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file left");
        }
    }
}
