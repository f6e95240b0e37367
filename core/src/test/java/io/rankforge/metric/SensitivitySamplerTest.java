package io.rankforge.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rankforge.AccuracyOracle;
import io.rankforge.RankConfiguration;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.SensitivitySampler;
import io.rankforge.testing.ReferenceProfiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SensitivitySamplerTest {

    @Test
    void sampleRanksAreDistinctAndClamped() {
        assertArrayEquals(
                new int[] {2, 3, 4, 8, 19}, SensitivitySampler.sampleRanks(19, SensitivitySampler.DEFAULT_FRACTIONS));
        assertArrayEquals(new int[] {1, 2, 4}, SensitivitySampler.sampleRanks(4, SensitivitySampler.DEFAULT_FRACTIONS));
    }

    @Test
    void oneLayerAtATimeNormalisedByTheFullRankAccuracy() {
        NetworkProfile vgg = ReferenceProfiles.vgg16();
        List<RankConfiguration> asked = new ArrayList<>();
        // accuracy falls with the relative rank deficit of every layer: 0.8 at full rank
        AccuracyOracle oracle = c -> {
            asked.add(c);
            double a = 0.8;
            for (var l : vgg.layers()) {
                a *= 1 - 0.5 * (1 - c.rank(l.name()) / (double) l.rMax());
            }
            return a;
        };
        NetworkProfile measured = SensitivitySampler.measure(vgg, oracle, SensitivitySampler.DEFAULT_FRACTIONS);
        assertEquals(1 + 13 * 4, asked.size(), "one baseline plus four truncated samples per layer");
        var conv12 = measured.layer(1);
        assertEquals(1.0, conv12.sensitivity().get(96), 0);
        assertEquals(1 - 0.5 * (1 - 10 / 96.0), conv12.sensitivity().get(10), 1e-12);
        assertEquals(5, conv12.sensitivity().size());
        assertEquals(vgg.layer(1).singularValues().length, conv12.spectrumLength());
    }
}
