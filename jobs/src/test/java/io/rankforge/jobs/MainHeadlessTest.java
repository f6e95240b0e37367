package io.rankforge.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The process, not a library class, decides that it runs headless; an explicit JVM setting wins. */
class MainHeadlessTest {
    String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty("java.awt.headless");
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty("java.awt.headless");
        } else {
            System.setProperty("java.awt.headless", saved);
        }
    }

    @Test
    void setsHeadlessWhenUnset() {
        System.clearProperty("java.awt.headless");
        Main.headless();
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void keepsAnExplicitSetting() {
        System.setProperty("java.awt.headless", "false");
        Main.headless();
        assertEquals("false", System.getProperty("java.awt.headless"));
    }

    @Test
    void theTestJvmRunsHeadless() {
        // surefire passes java.awt.headless=true, so the report tests need no display
        assertEquals("true", saved);
    }
}
