package io.rankforge.jobs.quickstart;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Feeds the console progress from Spark's scheduler: every submitted stage adds its tasks to the
 * phase's total, every finished task counts as done.
 */
public final class SparkTaskCounter extends SparkListener {
    private final ConsoleProgress progress;

    public SparkTaskCounter(ConsoleProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stage) {
        progress.addTasks(stage.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        progress.taskDone();
    }
}
