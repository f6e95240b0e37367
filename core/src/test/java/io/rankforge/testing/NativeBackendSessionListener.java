package io.rankforge.testing;

import io.rankforge.runtime.NativeBackend;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Picks the native build before any test class loads ND4J, as the CLI's entry point does for a user; registered in
 * META-INF/services and published with the test-jar, so every module's tests run on the build a user gets.
 */
public final class NativeBackendSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeBackend.select();
    }
}
