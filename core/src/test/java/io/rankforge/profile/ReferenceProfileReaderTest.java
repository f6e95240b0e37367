package io.rankforge.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.UserInputException;
import io.rankforge.spectrum.Scheme;
import io.rankforge.testing.ReferenceData;
import io.rankforge.testing.ReferenceProfiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceProfileReaderTest {

    @Test
    void vgg16HasThirteenNamedLayersWithSpectraAndSamples() {
        NetworkProfile p = ReferenceProfiles.vgg16();
        assertEquals(13, p.size());
        LayerProfile first = p.layer(0), last = p.layer(12);
        assertEquals("conv1_1", first.name());
        assertEquals(Scheme.CHANNEL, first.scheme());
        assertEquals(19, first.rMax());
        assertEquals(86754304.0 / 19, first.macsPerRank(), 1e-6);
        assertEquals(86754304.0, first.originalMacs(), 0);
        assertEquals("conv5_3", last.name());
        assertEquals(Scheme.SPATIAL, last.scheme());
        assertEquals(768, last.spectrumLength());
        assertEquals(5, first.sensitivity().size());
        assertEquals(0.841535811, first.sensitivity().get(2), 1e-12);
        assertEquals(1.0, last.sensitivity().get(768), 0);
        assertTrue(p.hasSpectra() && p.hasSensitivity());
        assertFalse(p.hasNetworkTotals());
    }

    @Test
    void res56SamplesAreNormalisedByTheAccuracyAtRmaxAndDuplicatesKeepTheFirstRow() {
        NetworkProfile p = ReferenceProfiles.res56();
        assertEquals(55, p.size());
        assertEquals("layer1", p.layer(0).name());
        assertFalse(p.hasSpectra());
        LayerProfile l2 = p.layer(1);
        assertEquals(24, l2.rMax());
        assertEquals(1.0, l2.sensitivity().get(24), 1e-12);
        assertEquals(0.94 / 0.985, l2.sensitivity().get(2), 1e-12);
        // layer 1 lists rank 2 twice (0.651 then 0.8346): the first row counts
        assertEquals(0.651 / 0.985, p.layer(0).sensitivity().get(2), 1e-12);
        assertArrayEquals(
                new Object[] {1, 2, 4, 7, 9, 10},
                p.layer(0).sensitivity().keySet().toArray());
    }

    @Test
    void missingFileIsNamed(@TempDir Path tmp) throws Exception {
        Path src = ReferenceData.reference("enc/vgg16");
        Files.copy(src.resolve("Net_def.txt"), tmp.resolve("Net_def.txt"));
        Files.copy(src.resolve("A_norm.txt"), tmp.resolve("A_norm.txt"));
        UserInputException e = assertThrows(UserInputException.class, () -> ReferenceProfileReader.read(tmp));
        assertTrue(e.getMessage().contains("R_list.txt"), e.getMessage());
        Files.copy(src.resolve("R_list.txt"), tmp.resolve("R_list.txt"));
        NetworkProfile p = ReferenceProfileReader.read(tmp); // eigenvalue.conf is optional
        assertEquals("layer1", p.layer(0).name());
        assertFalse(p.hasSpectra());
    }

    @Test
    void malformedTablesAreUserErrors(@TempDir Path tmp) throws Exception {
        Path src = ReferenceData.reference("enc/vgg16");
        Files.copy(src.resolve("Net_def.txt"), tmp.resolve("Net_def.txt"));
        Files.copy(src.resolve("R_list.txt"), tmp.resolve("R_list.txt"));
        Files.writeString(tmp.resolve("A_norm.txt"), "0.9 0.8\n1 1\n");
        UserInputException e = assertThrows(UserInputException.class, () -> ReferenceProfileReader.read(tmp));
        assertTrue(e.getMessage().contains("A_norm.txt") && e.getMessage().contains("columns"), e.getMessage());
        Files.writeString(tmp.resolve("A_norm.txt"), "x".repeat(3));
        e = assertThrows(UserInputException.class, () -> ReferenceProfileReader.read(tmp));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
    }
}
