package io.rankforge.importer.caffe;

import io.rankforge.importer.caffe.proto.CaffeProto.LayerParameter;
import io.rankforge.importer.caffe.proto.CaffeProto.NetStateRule;
import io.rankforge.importer.caffe.proto.CaffeProto.Phase;

/**
 * Caffe's include/exclude rules, evaluated for the state an imported network is used in: the TEST
 * phase, level 0, no stages (what Caffe itself uses to evaluate a trained network).
 */
final class CaffePhase {
    private CaffePhase() {}

    static boolean inTestNet(LayerParameter layer) {
        if (layer.getIncludeCount() > 0) {
            return layer.getIncludeList().stream().anyMatch(CaffePhase::met);
        }
        return layer.getExcludeList().stream().noneMatch(CaffePhase::met);
    }

    private static boolean met(NetStateRule rule) {
        if (rule.hasPhase() && rule.getPhase() != Phase.TEST) {
            return false;
        }
        if (rule.hasMinLevel() && 0 < rule.getMinLevel()) {
            return false;
        }
        if (rule.hasMaxLevel() && 0 > rule.getMaxLevel()) {
            return false;
        }
        // The test net has no stages: a rule that requires one is not met; "not_stage" always is.
        return rule.getStageCount() == 0;
    }
}
