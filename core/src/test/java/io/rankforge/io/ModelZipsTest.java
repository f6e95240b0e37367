package io.rankforge.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.zoo.ZooArchitecture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;

/** Model zips depend on the network alone: the same bytes for every save, readable by DL4J as its own. */
class ModelZipsTest {
    @Test
    void theSameNetworkGivesTheSameBytesAndDl4jReadsThem() throws Exception {
        MultiLayerNetwork net =
                (MultiLayerNetwork) ZooArchitecture.byId("lenet5").build(3);
        byte[] first = write(net);
        // ModelSerializer's own zips differ once a 2-second tick of the zip clock has passed; these must not
        Thread.sleep(2100);
        byte[] second = write(net);
        assertArrayEquals(first, second, "two saves of one network");

        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(first))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                assertEquals(ModelZips.ENTRY_TIME, e.getTimeLocal(), e.getName());
            }
        }
        assertTrue(names.contains("configuration.json") && names.contains("coefficients.bin"), names.toString());

        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(first), false);
        assertEquals(net.getLayerWiseConfigurations(), back.getLayerWiseConfigurations());
        assertArrayEquals(net.params().data().asFloat(), back.params().data().asFloat());
    }

    private static byte[] write(MultiLayerNetwork net) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelZips.write(net, out);
        return out.toByteArray();
    }
}
