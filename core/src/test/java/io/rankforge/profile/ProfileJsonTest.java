package io.rankforge.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.io.Json;
import io.rankforge.testing.ReferenceProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileJsonTest {

    @Test
    void roundTripKeepsEveryField(@TempDir Path tmp) {
        NetworkProfile p = ReferenceProfiles.vgg16();
        Path f = tmp.resolve("sub/vgg16.json");
        ProfileJson.write(p, Json.object().put("note", "test"), f);
        NetworkProfile back = ProfileJson.read(f);
        assertEquals(p.layers(), back.layers());
        assertEquals(p.source(), back.source());
        assertEquals(p.networkMacs(), back.networkMacs());
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "a temp file was left behind");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertEquals(p.layers(), Profiles.load(f).layers());
    }

    @Test
    void badFilesAreUserErrors(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "{\"layers\": [{\"name\": \"a\", \"scheme\": \"spatial\"}]}");
        UserInputException e = assertThrows(UserInputException.class, () -> ProfileJson.read(f));
        assertTrue(e.getMessage().contains("rmax"), e.getMessage());
        Files.writeString(f, "not json");
        assertThrows(UserInputException.class, () -> ProfileJson.read(f));
        assertThrows(UserInputException.class, () -> Profiles.load(tmp.resolve("absent.json")));
    }
}
