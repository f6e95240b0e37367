package io.rankforge.jobs.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a {@link Job} returns: typed values with one JSON form (the job's summary, which its run record and the
 * {@code --json} line carry).
 */
public interface JobResult {
    /** The summary as JSON; its {@code job} field names the job. */
    ObjectNode toJson();

    /**
     * Why the job did less than it was asked to (a one-line message), or empty when it did everything; a CLI run
     * with a shortfall exits 1.
     */
    default Optional<String> shortfall() {
        return Optional.empty();
    }
}
