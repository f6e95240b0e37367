package io.rankforge.jobs.benchmark;

import java.nio.file.Path;

/**
 * A benchmarked model as trained (or reused): its file and digest, the schedule it was trained with, its test
 * accuracy on the benchmark's test images, and its size.
 */
record TrainedZooModel(
        String id,
        Path file,
        String sha256,
        int epochs,
        int trainImages,
        double testAccuracy,
        int testImages,
        double trainSeconds,
        boolean reused,
        long macs,
        long params) {}
