package io.rankforge.testing;

import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.ReferenceProfileReader;

/** The paper's reference profiles from the shared folder. */
public final class ReferenceProfiles {
    private ReferenceProfiles() {}

    public static NetworkProfile vgg16() {
        return ReferenceProfileReader.read(ReferenceData.reference("enc/vgg16"));
    }

    public static NetworkProfile res56() {
        return ReferenceProfileReader.read(ReferenceData.reference("enc/res56"));
    }
}
