package io.rankforge.jobs.run;

import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Forwards the successful task ends of the jobs' compute stages (not Parquet writes or reads) to a
 * {@link Progress}. Compute work runs inside {@link #compute}, which tags its Spark jobs with a job group.
 */
public final class TaskCounter extends SparkListener {
    public static final String GROUP = "rankforge-compute";

    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private volatile Progress progress;

    public TaskCounter(Progress progress) {
        this.progress = progress;
    }

    public void setProgress(Progress p) {
        this.progress = p;
    }

    /** Runs Spark jobs whose tasks count as progress. */
    public static <T> T compute(JavaSparkContext jsc, String description, Supplier<T> work) {
        jsc.setJobGroup(GROUP, description, false);
        try {
            return work.get();
        } finally {
            jsc.clearJobGroup();
        }
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        Properties p = start.properties();
        if (p != null && GROUP.equals(p.getProperty("spark.jobGroup.id"))) {
            scala.collection.Iterator<Object> it = start.stageIds().iterator();
            while (it.hasNext()) {
                stages.add((Integer) it.next());
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (stages.contains(taskEnd.stageId())
                && taskEnd.taskInfo() != null
                && taskEnd.taskInfo().successful()) {
            progress.taskDone();
        }
    }
}
