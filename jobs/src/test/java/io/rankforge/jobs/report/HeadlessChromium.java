package io.rankforge.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Opens a page in Debian's headless Chromium and returns the DOM after load (the page's scripts have run). */
public final class HeadlessChromium {
    private HeadlessChromium() {}

    public static String dumpDom(Path page, Path scratch) throws IOException, InterruptedException {
        Path chromium = Path.of(System.getenv().getOrDefault("RANKFORGE_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            fail("headless Chromium is needed to check the report and is missing at " + chromium
                    + ": install it with `apt-get install chromium` (.ci/run does) or set RANKFORGE_CHROMIUM");
        }
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        Path stderr = scratch.resolve("chromium-stderr.txt");
        Process p = new ProcessBuilder(List.of(
                        chromium.toString(),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--user-data-dir=" + profile,
                        "--dump-dom",
                        page.toUri().toString()))
                .redirectError(stderr.toFile())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("headless Chromium did not finish within 60 s on " + page);
        }
        String dom = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), () -> "Chromium failed on " + page + ": " + tail(stderr));
        return dom;
    }

    /** Asserts that the report page marked every one of its images as loaded (and that it has some). */
    public static void assertAllImagesLoaded(String dom, int expectedAtLeast) {
        Matcher total = Pattern.compile("data-images-total=\"(\\d+)\"").matcher(dom);
        Matcher loaded = Pattern.compile("data-images-loaded=\"(\\d+)\"").matcher(dom);
        assertTrue(
                total.find() && loaded.find(),
                "the report's image check did not run in Chromium (no data-images-* attributes)");
        int t = Integer.parseInt(total.group(1)), l = Integer.parseInt(loaded.group(1));
        assertTrue(t >= expectedAtLeast, "expected at least " + expectedAtLeast + " images, the page has " + t);
        assertEquals(t, l, "only " + l + " of " + t + " images loaded in Chromium");
    }

    private static String tail(Path f) {
        try {
            String s = Files.readString(f);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no stderr)";
        }
    }
}
