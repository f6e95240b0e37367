package io.rankforge.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.jobs.run.Job;
import io.rankforge.jobs.select.SelectJob;
import io.rankforge.jobs.sensitivity.SensitivityJob;
import io.rankforge.jobs.sweep.SweepCost;
import io.rankforge.jobs.sweep.SweepJob;
import io.rankforge.jobs.sweep.SweepSummary;
import io.rankforge.jobs.validate.ValidateJob;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The one job abstraction: every Spark job is a {@link Job} value, the CLI's job commands are made from those values
 * (name and help from the job, the same {@code --conf/--set/--json} for all), and a job's shortfall exits 1.
 */
class JobCommandTest {
    static final List<Job<?>> ALL =
            List.of(ProfileJob.JOB, SensitivityJob.JOB, SelectJob.JOB, SweepJob.JOB, ValidateJob.JOB);

    @Test
    void everyJobIsACommandNamedAndDescribedByTheJob() {
        CommandLine tree = Cli.commandLine();
        for (Job<?> job : ALL) {
            CommandLine cl = tree.getSubcommands().get(job.name());
            assertTrue(cl != null, "no command for job " + job.name());
            for (String option : List.of("--conf", "--set", "--json", "--help")) {
                assertTrue(cl.getCommandSpec().findOption(option) != null, job.name() + " lacks " + option);
            }
        }
        for (Job<?> job : Cli.CONF_JOBS) {
            CommandLine cl = tree.getSubcommands().get(job.name());
            assertEquals(
                    List.of(job.description()),
                    List.of(cl.getCommandSpec().usageMessage().description()));
            assertTrue(cl.getCommandSpec().findOption("--conf").required(), job.name() + ": --conf is required");
        }
    }

    @Test
    void helpShowsTheJobsDescriptionAndOptions() {
        for (Job<?> job : Cli.CONF_JOBS) {
            CliRun r = CliRun.of(job.name(), "--help");
            assertEquals(0, r.code(), r.err());
            String help = r.out().replaceAll("\\s+", " ");
            assertTrue(help.startsWith("Usage: rankforge " + job.name() + " "), help);
            assertTrue(help.contains(job.description().substring(0, 40)), help);
            assertTrue(help.contains("--conf=FILE.conf") && help.contains("--set=KEY=VALUE"), help);
        }
        CliRun top = CliRun.of("--help");
        for (Job<?> job : ALL) {
            assertTrue(top.out().contains(" " + job.name() + " "), "top-level help lists " + job.name());
        }
    }

    @Test
    void aJobCommandWithoutItsConfigurationExitsTwo() {
        for (Job<?> job : Cli.CONF_JOBS) {
            CliRun r = CliRun.of(job.name(), "--json");
            assertEquals(2, r.code(), job.name());
            assertTrue(r.err().contains("--conf"), r.err());
            assertEquals("", r.out().strip(), "no --json line on a usage error");
        }
    }

    @Test
    void aSweepStoppedByTheFailureCapIsAShortfall() {
        SweepSummary stopped = new SweepSummary(10, 4, 0, 3, true, 1.0, "out/trials", SweepCost.of(List.of(), 1.0, 1));
        String why = stopped.shortfall().orElseThrow();
        assertTrue(why.contains("3 failed trials") && why.contains("out/trials"), why);
        SweepSummary done = new SweepSummary(10, 10, 0, 0, false, 1.0, "out/trials", SweepCost.of(List.of(), 1.0, 1));
        assertTrue(done.shortfall().isEmpty());
        assertTrue(new ValidateJob.Result(List.of(), List.of(), List.of(), 0.95, 1.0)
                .shortfall()
                .isEmpty());
    }

    @Test
    void aJobsNameIsACommandName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Job.of("Sweep Job", "d", ctx -> null));
        assertTrue(e.getMessage().contains("name") && e.getMessage().contains("Sweep Job"), e.getMessage());
    }
}
