package io.rankforge.jobs.run;

import io.rankforge.data.DataSplits;
import io.rankforge.data.DatasetFetcher;
import io.rankforge.data.FetchedDataset;
import io.rankforge.data.ImageDataset;
import io.rankforge.data.KnownDataset;
import io.rankforge.jobs.config.JobConfig;
import io.rankforge.jobs.exec.DataBlob;
import io.rankforge.jobs.exec.ModelBlob;
import io.rankforge.jobs.spark.Sessions;
import io.rankforge.jobs.store.OutputLock;
import io.rankforge.jobs.store.ResultStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * What every job of one experiment shares: the validated configuration, the SparkSession, the output
 * folder, the models (read and checked once) and the image sets, each broadcast at most once.
 * The jobs are library calls on a context ({@code ProfileJob.run(ctx)}, ...), so that a program (the
 * quickstart) can run several of them on one session; the CLI opens one context per command.
 */
public final class JobContext implements AutoCloseable {
    private final JobConfig config;
    private final SparkSession spark;
    private final JavaSparkContext jsc;
    private final boolean ownsSession;
    private final ResultStore store;
    private final OutputLock lock;
    private final TaskCounter counter;
    private Progress progress;
    private List<ModelInput> models;
    private DataSplits splits;
    private final Map<String, Broadcast<?>> broadcasts = new HashMap<>();

    private JobContext(JobConfig config, SparkSession spark, boolean ownsSession, Progress progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.spark = spark;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.ownsSession = ownsSession;
        this.progress = progress;
        this.counter = new TaskCounter(progress);
        spark.sparkContext().addSparkListener(counter);
        ResultStore s;
        OutputLock l;
        try {
            s = ResultStore.open(
                    config.experiment().output(),
                    spark.sparkContext().hadoopConfiguration(),
                    "rankforge.experiment.output in " + config.settings().where("rankforge.experiment.output"));
            // one writer per output folder: a second run stops here, naming the first
            l = OutputLock.acquire(s, progress::note);
        } catch (RuntimeException e) {
            if (ownsSession) {
                spark.stop();
            }
            throw e;
        }
        this.store = s;
        this.lock = l;
    }

    /**
     * Creates the session from the configuration and stops it again in {@link #close()}; a session
     * already running in this JVM (a program's, a test's) is used as it is and left running.
     */
    public static JobContext open(JobConfig config, Progress progress) {
        boolean running = SparkSession.getDefaultSession().isDefined()
                || SparkSession.getActiveSession().isDefined();
        return new JobContext(config, Sessions.create(config.spark()), !running, progress);
    }

    /** Uses a session someone else owns (left running by {@link #close()}). */
    public static JobContext on(SparkSession spark, JobConfig config, Progress progress) {
        return new JobContext(config, spark, false, progress);
    }

    public JobConfig config() {
        return config;
    }

    public SparkSession spark() {
        return spark;
    }

    public JavaSparkContext jsc() {
        return jsc;
    }

    public ResultStore store() {
        return store;
    }

    public Progress progress() {
        return progress;
    }

    public void setProgress(Progress p) {
        this.progress = Objects.requireNonNull(p, "progress");
        counter.setProgress(p);
    }

    public long seed() {
        return config.experiment().seed();
    }

    /** The experiment's models, read and checked on first use. */
    public synchronized List<ModelInput> models() {
        if (models == null) {
            models = ModelInputs.resolve(config, spark.sparkContext().hadoopConfiguration());
        }
        return models;
    }

    /**
     * The data splits, read on first use on the driver (executors get broadcasts): from
     * {@code rankforge.data.dir} when set, else wherever the dataset fetcher finds or obtains the
     * verified files ($RANKFORGE_DATA, ~/.rankforge/data, the Debian package, the download locations).
     */
    public synchronized DataSplits splits() {
        if (splits == null) {
            var d = config.data();
            FetchedDataset f =
                    DatasetFetcher.standard(line -> progress.note(line)).fetch(KnownDataset.byId(d.dataset()), d.dir());
            splits = f.splits(d.heldOut(), d.heldOutSeed());
        }
        return splits;
    }

    /** The held-out images every measurement uses (the first measure-images of the held-out split). */
    public ImageDataset measureImages() {
        return splits().heldOut().first(config.data().measureImages());
    }

    /** The test images that give ground truth. */
    public ImageDataset testImages() {
        return splits().test().first(config.data().testImages());
    }

    /** The model's bytes, broadcast once per context. */
    public Broadcast<ModelBlob> broadcast(ModelInput m) {
        return cached("model:" + m.digest(), () -> m.blob());
    }

    public Broadcast<DataBlob> measureBlob() {
        return cached("data:measure", () -> DataBlob.of("held-out", measureImages()));
    }

    public Broadcast<DataBlob> testBlob() {
        return cached("data:test", () -> DataBlob.of("test", testImages()));
    }

    /**
     * Training images that re-estimate the batch-norm statistics of every compressed network before it is
     * measured (the first calibration-images of the train split), or null when that is 0.
     */
    public Broadcast<DataBlob> calibrationBlob() {
        int n = config.data().calibrationImages();
        if (n == 0) {
            return null;
        }
        return cached(
                "data:calibration:" + n,
                () -> DataBlob.of("calibration", splits().train().first(n)));
    }

    /** Training images for fine-tuning: the first n of the train split. */
    public Broadcast<DataBlob> trainBlob(int images) {
        int n = Math.min(images, config.data().trainImages());
        return cached(
                "data:train:" + n, () -> DataBlob.of("train", splits().train().first(n)));
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> Broadcast<T> cached(String key, java.util.function.Supplier<T> value) {
        return (Broadcast<T>) broadcasts.computeIfAbsent(key, k -> jsc.broadcast(value.get()));
    }

    @Override
    public void close() {
        List<Broadcast<?>> bs = new ArrayList<>(broadcasts.values());
        broadcasts.clear();
        for (Broadcast<?> b : bs) {
            try {
                b.destroy();
            } catch (RuntimeException ignored) {
                // a stopped context has nothing left to free
            }
        }
        spark.sparkContext().removeSparkListener(counter);
        lock.close();
        if (ownsSession) {
            spark.stop();
        }
        // in local mode the tasks ran in this JVM and capped its BLAS threads: the driver gets them back
        if (spark.sparkContext().isLocal() || ownsSession) {
            io.rankforge.jobs.spark.TaskThreads.reset();
        }
    }
}
