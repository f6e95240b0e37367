package io.rankforge.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.decompose.Decomposer;
import io.rankforge.decompose.TestNetworks;
import io.rankforge.model.LayerSpec;
import org.deeplearning4j.nn.api.Model;
import org.junit.jupiter.api.Test;

class ModelProfilerTest {

    @Test
    void spectraProfileOfARealNetwork() {
        Model net = TestNetworks.graph();
        NetworkProfile p = ModelProfiler.spectra("graph", net, TestNetworks.INPUT);
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        assertEquals(d.plan().layers().size(), p.size());
        assertEquals(d.plan().description().networkMacs(), p.networkMacs(), 0);
        for (LayerSpec l : d.plan().layers()) {
            LayerProfile lp = p.layer(p.indexOf(l.name()));
            var scheme = d.plan().scheme(l.name());
            assertEquals(scheme, lp.scheme());
            assertEquals(scheme.rMax(l), lp.rMax());
            assertEquals(scheme.macsPerRank(l), lp.macsPerRank(), 0);
            assertEquals(l.macs(), lp.originalMacs(), 0);
            double[] withVectors = d.factors(l.name()).spectrum().singularValues();
            assertEquals(lp.fullRank(), lp.spectrumLength());
            for (int i = 0; i < withVectors.length; i++) {
                assertEquals(withVectors[i], lp.singularValue(i), 1e-9 * withVectors[0], l.name() + " value " + i);
            }
            assertTrue(!lp.hasSensitivity());
        }
    }

    @Test
    void sensitivitySamplesAreMeasuredOnHeldOutImages() {
        Model net = TestNetworks.multiLayer();
        Decomposer d = Decomposer.withDefaultSchemes(net, TestNetworks.INPUT);
        NetworkProfile p = ModelProfiler.withSensitivity("mln", d, TestNetworks.heldOut(300), new double[] {0.1, 1.0});
        for (LayerProfile l : p.layers()) {
            assertTrue(l.hasSpectrum());
            assertEquals(1.0, l.sensitivity().get(l.rMax()), 0, l.name() + " at r_max");
            int low = Math.max(1, (int) Math.round(0.1 * l.rMax()));
            if (low < l.rMax()) {
                double y = l.sensitivity().get(low);
                assertTrue(y >= 0 && y < 1.5, l.name() + " y_m(" + low + ") = " + y);
            }
        }
        // truncating the 432-input fc1 to a tenth of r_max costs accuracy on a trained network
        LayerProfile fc1 = p.layer(p.indexOf("fc1"));
        assertTrue(fc1.sensitivity().firstEntry().getValue() < 1.0, "fc1 " + fc1.sensitivity());
    }
}
