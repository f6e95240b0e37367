package io.rankforge.jobs.profile;

import io.rankforge.jobs.store.SchemaAssertions;
import io.rankforge.model.LayerKind;
import io.rankforge.model.LayerSpec;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.testing.ReferenceProfiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The profiles table's row builder sets every field of its schema (on the paper's VGG-16 profile). */
class ProfileRowsTest {
    @Test
    void everyFieldIsSet() {
        NetworkProfile p = ReferenceProfiles.vgg16();
        LayerSpec conv =
                new LayerSpec("conv1_1", LayerKind.CONVOLUTION, 3, 64, 3, 3, 1, 1, 1, 1, 224, 224, 224, 224, true);
        SchemaAssertions.assertEveryFieldSet(
                ProfileRows.SCHEMA, List.of(ProfileRows.row("vgg16", "d1", "file:/vgg16", conv, p, 0, 0.5, "host")));
    }
}
