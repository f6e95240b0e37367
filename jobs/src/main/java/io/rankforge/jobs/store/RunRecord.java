package io.rankforge.jobs.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.io.Json;
import io.rankforge.io.Provenance;
import io.rankforge.jobs.config.JobConfig;
import java.time.Instant;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * Where a table came from: the job, its resolved configuration, the code and machine (git commit,
 * versions), Spark's version and master, the experiment seed, start and end. Stored as
 * {@code _rankforge.json} inside every table folder (Spark's readers skip files starting with "_")
 * and under {@code OUT/_runs/}.
 */
public final class RunRecord {
    private final String job;
    private final JobConfig config;
    private final String sparkVersion;
    private final String master;
    private final Instant start;

    private RunRecord(String job, JobConfig config, String sparkVersion, String master, Instant start) {
        this.job = job;
        this.config = config;
        this.sparkVersion = sparkVersion;
        this.master = master;
        this.start = start;
    }

    /** Starts the record of a job run now. */
    public static RunRecord start(String job, JobConfig config, SparkSession spark) {
        Objects.requireNonNull(job, "job");
        return new RunRecord(job, config, spark.version(), spark.sparkContext().master(), Instant.now());
    }

    public String job() {
        return job;
    }

    public Instant startedAt() {
        return start;
    }

    /** The record as JSON, ended now, with the job's own summary (may be null). */
    public ObjectNode toJson(JsonNode summary) {
        ObjectNode o = Json.object();
        o.put("job", job);
        o.put("experiment", config.experiment().name());
        o.put("seed", config.experiment().seed());
        o.put("spark_version", sparkVersion);
        o.put("spark_master", master);
        o.put("started_at", start.toString());
        o.put("ended_at", Instant.now().toString());
        o.set("provenance", Provenance.describe());
        o.set("config", Json.parse(config.resolvedJson(), "resolved configuration"));
        o.put("config_source", config.settings().source());
        if (summary != null) {
            o.set("summary", summary);
        }
        return o;
    }
}
