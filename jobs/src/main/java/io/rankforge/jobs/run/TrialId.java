package io.rankforge.jobs.run;

import io.rankforge.RankConfiguration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A trial's identity: SHA-256 of (model digest, ranks in network order, how it is measured (fine-tuning
 * settings, test and calibration images: {@code SweepPlan.measurement}), experiment seed), hex, 32 characters. The
 * same trial of the same experiment always has the same
 * id, which is what lets a rerun skip it and the final table hold it once.
 */
public final class TrialId {
    private TrialId() {}

    public static String of(String modelDigest, RankConfiguration ranks, String measurement, long experimentSeed) {
        StringBuilder s =
                new StringBuilder("rankforge-trial/1|").append(modelDigest).append('|');
        for (Map.Entry<String, Integer> e : ranks.ranks().entrySet()) {
            s.append(e.getKey()).append('=').append(e.getValue()).append(',');
        }
        s.append('|').append(measurement).append('|').append(experimentSeed);
        return sha256(s.toString()).substring(0, 32);
    }

    /**
     * The seed of a trial's task: derived from the experiment seed and the trial id, so a retried task reproduces
     * its result.
     */
    public static long taskSeed(long experimentSeed, String trialId) {
        byte[] h = sha256Bytes("rankforge-task-seed/1|" + experimentSeed + "|" + trialId);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    /** A seed for a named random choice of the experiment (e.g. sampling of one model's stratum). */
    public static long derivedSeed(long experimentSeed, String... parts) {
        byte[] h = sha256Bytes("rankforge-seed/1|" + experimentSeed + "|" + String.join("|", parts));
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (h[i] & 0xff);
        }
        return v;
    }

    static String sha256(String s) {
        return HexFormat.of().formatHex(sha256Bytes(s));
    }

    private static byte[] sha256Bytes(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
