package io.rankforge.importer.caffe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.importer.ImportedModel;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.ModelProfiler;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.spectrum.Scheme;
import io.rankforge.testing.ReferenceData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The profile of the imported ResNet-56 against the paper's own table (reference/enc/res56/Net_def.txt). */
class CaffeResNet56ProfileTest {
    private static NetworkProfile profile;
    private static List<double[]> netDef;

    @BeforeAll
    static void profile() throws IOException {
        ImportedModel m = CaffeImporter.load(ReferenceData.reference("enc/res56/res56.caffemodel"), null);
        profile = ModelProfiler.spectra("res56.caffemodel", m.network(), m.inputType());
        netDef = Files.readAllLines(ReferenceData.reference("enc/res56/Net_def.txt")).stream()
                .filter(l -> !l.isBlank())
                .map(l -> Arrays.stream(l.trim().split("\\s+"))
                        .mapToDouble(Double::parseDouble)
                        .toArray())
                .toList();
    }

    private static List<LayerProfile> convolutions() {
        return profile.layers().stream().filter(l -> !l.name().equals("fc")).toList();
    }

    @Test
    void spectraOfAll57ConvolutionsProjectionShortcutsIncluded() {
        List<LayerProfile> convs = convolutions();
        assertEquals(57, convs.size());
        assertTrue(convs.stream().anyMatch(l -> l.name().equals("group1_block0_proj")));
        assertTrue(convs.stream().anyMatch(l -> l.name().equals("group2_block0_proj")));
        for (LayerProfile l : convs) {
            assertEquals(l.fullRank(), l.spectrumLength(), l.name() + ": every singular value");
            assertTrue(l.singularValue(0) > 0 && l.singularValue(l.spectrumLength() - 1) >= 0, l.name());
        }
    }

    /**
     * The 55 convolutions of Net_def.txt (projection shortcuts excluded), in its row order: same r_max,
     * scheme (channel decomposition for the first, spatial for the rest) and cost of the original
     * layer. One exception, in the reference table: its first row lists 430 weights (440,320 MACs) for a
     * 3×3 convolution from 3 to 16 channels, which has 3·3·3·16 = 432 weights (442,368 MACs at 32×32).
     */
    @Test
    void layerListRmaxAndCostsEqualTheReferenceNetDef() {
        List<LayerProfile> convs =
                convolutions().stream().filter(l -> !l.name().contains("proj")).toList();
        assertEquals(netDef.size(), convs.size());
        for (int i = 0; i < netDef.size(); i++) {
            double[] row = netDef.get(i);
            LayerProfile l = convs.get(i);
            String where = "Net_def row " + (i + 1) + " vs " + l.name();
            assertEquals((int) row[1], l.rMax(), where);
            assertEquals(i == 0 ? Scheme.CHANNEL : Scheme.SPATIAL, l.scheme(), where);
            if (i == 0) {
                assertEquals("first_conv", l.name());
                assertEquals(432.0 * 32 * 32, l.originalMacs(), where);
            } else {
                assertEquals(row[7], l.originalMacs(), where);
                assertEquals(row[6], l.originalParams() - row[2], where + " (weights; our count adds the bias)");
            }
        }
    }
}
