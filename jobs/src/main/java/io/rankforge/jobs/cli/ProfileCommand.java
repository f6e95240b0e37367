package io.rankforge.jobs.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rankforge.UserInputException;
import io.rankforge.io.OutputPaths;
import io.rankforge.io.Provenance;
import io.rankforge.jobs.profile.ProfileJob;
import io.rankforge.profile.LayerProfile;
import io.rankforge.profile.NetworkProfile;
import io.rankforge.profile.ProfileJson;
import io.rankforge.profile.Profiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rankforge profile}: computes a network's profile (per-layer shapes, costs, singular values and,
 * with --measure-sensitivity, measured accuracy samples) and writes it as JSON, atomically. With
 * --json it also prints the profile as one line. {@link #loadProfile()} is the step other modes
 * (e.g. a Spark --conf file) replace.
 */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "Write a network profile (spectra, costs, optional measured sensitivity) as JSON, the input "
                + "of rankforge select.")
public class ProfileCommand implements Callable<Integer> {

    public static final class Source {
        @Option(names = "--model", paramLabel = "FILE", description = "A model file (.zip, .caffemodel, .h5, .onnx).")
        public Path model;

        @Option(
                names = "--reference",
                paramLabel = "DIR",
                description = "Convert an ENC reference folder (Net_def.txt, R_list.txt, A_norm.txt, optional "
                        + "eigenvalue.conf) or another profile.")
        public Path reference;

        @Option(
                names = "--conf",
                paramLabel = "FILE.conf",
                description = "Profile every model of an experiment on Spark (one task per model and layer); "
                        + "results under its output folder.")
        public Path conf;
    }

    @picocli.CommandLine.Mixin
    public ConfOptions confOptions;

    @ArgGroup(exclusive = true, multiplicity = "1")
    public Source source;

    @Option(
            names = "--measure-sensitivity",
            description = "Also measure each layer's accuracy at sample ranks on the held-out split (slow).")
    public boolean measureSensitivity;

    @Option(
            names = "--out",
            paramLabel = "FILE.json",
            description = "Where to write the profile (required with --model or --reference).")
    public Path out;

    @Option(names = "--json", description = "Print the profile as one JSON line (the last line of stdout).")
    public boolean json;

    @picocli.CommandLine.Mixin
    public MeasurementOptions measurement;

    @Override
    public Integer call() {
        if (source.conf != null) {
            return JobCommands.run(source.conf, confOptions.sets, json, ProfileJob.JOB);
        }
        if (out == null) {
            throw new io.rankforge.UserInputException("--out FILE.json is required with --model or --reference");
        }
        // before the profile is computed: an unwritable --out must not cost the work first
        OutputPaths.requireWritableFile(out, "outputFile " + out, "profile.json");
        NetworkProfile p = loadProfile();
        ObjectNode provenance = Provenance.describe();
        provenance.put("source", p.source());
        ProfileJson.write(p, provenance, out);
        System.err.println("profile: wrote " + p.size() + " layers to " + out.toAbsolutePath());
        if (json) {
            JsonOut.print(ProfileJson.toJson(p, null));
        } else {
            printTable(System.out, p);
        }
        return 0;
    }

    protected NetworkProfile loadProfile() {
        if (source.reference != null && measurement.prototxt != null) {
            throw new UserInputException("--prototxt goes with --model FILE.caffemodel");
        }
        if (source.reference != null) {
            return Profiles.load(source.reference);
        }
        ModelProfiles m = ModelProfiles.load(source.model, measurement.prototxt);
        return m.profile(
                measureSensitivity ? measurement.data(m, "--measure-sensitivity") : null,
                ModelProfiles.defaultFractions());
    }

    static void printTable(PrintStream o, NetworkProfile p) {
        int w = Math.max(
                5, p.layers().stream().mapToInt(l -> l.name().length()).max().orElse(5));
        o.println(String.format(
                Locale.ROOT,
                "%-" + w + "s %-8s %6s %9s %14s %12s %5s %7s",
                "layer",
                "scheme",
                "r_max",
                "full_rank",
                "macs",
                "params",
                "sv",
                "samples"));
        for (LayerProfile l : p.layers()) {
            o.println(String.format(
                    Locale.ROOT,
                    "%-" + w + "s %-8s %6d %9d %14.0f %12.0f %5d %7d",
                    l.name(),
                    l.scheme().id(),
                    l.rMax(),
                    l.fullRank(),
                    l.originalMacs(),
                    l.originalParams(),
                    l.spectrumLength(),
                    l.sensitivity().size()));
        }
        o.flush();
    }
}
