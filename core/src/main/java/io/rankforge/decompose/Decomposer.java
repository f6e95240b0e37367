package io.rankforge.decompose;

import io.rankforge.RankConfiguration;
import io.rankforge.model.LayerSpec;
import io.rankforge.model.NetworkDescriber;
import io.rankforge.model.NetworkDescription;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Builds low-rank versions of one network. Each decomposed layer L becomes {@code L_a} then {@code L_b}
 * (see {@link FactorLayers}); every other layer — batch norm with its running statistics, pooling,
 * dropout, shortcuts, preprocessors — is copied unchanged. The result is a new network of the same kind
 * (MultiLayerNetwork or ComputationGraph); the original is never modified.
 *
 * <p>Each layer's SVD is computed at most once, the first time a configuration needs it, and every
 * configuration truncates those factors. Thread-safe: concurrent calls build independent networks.
 */
public final class Decomposer {
    private final Model model;
    private final DecompositionPlan plan;
    private final Map<String, LayerFactors> factors = new ConcurrentHashMap<>();

    private Decomposer(Model model, DecompositionPlan plan) {
        this.model = Objects.requireNonNull(model, "model");
        this.plan = Objects.requireNonNull(plan, "plan");
        if (!(model instanceof MultiLayerNetwork) && !(model instanceof ComputationGraph)) {
            throw new IllegalArgumentException("only MultiLayerNetwork and ComputationGraph can be decomposed, got "
                    + model.getClass().getSimpleName());
        }
        for (LayerSpec l : plan.layers()) {
            for (String n : List.of(FactorLayers.firstName(l.name()), FactorLayers.secondName(l.name()))) {
                if (hasLayerNamed(model, n)) {
                    throw new IllegalArgumentException("the network already has a layer named " + n
                            + ": the factors of " + l.name() + " would clash with it");
                }
            }
        }
    }

    /** A decomposer for {@code model} with the given plan (its description must be {@code model}'s). */
    public static Decomposer of(Model model, DecompositionPlan plan) {
        return new Decomposer(model, plan);
    }

    /** Describes {@code model} and uses the default scheme of every compressible layer. */
    public static Decomposer withDefaultSchemes(Model model, InputType... inputTypes) {
        NetworkDescription d = NetworkDescriber.describe(model, inputTypes);
        return new Decomposer(model, DecompositionPlan.withDefaultSchemes(d));
    }

    public Model model() {
        return model;
    }

    public DecompositionPlan plan() {
        return plan;
    }

    /** The full-rank factors of {@code layer}, computed on first use. */
    public LayerFactors factors(String layer) {
        LayerSpec spec = plan.layer(layer);
        return factors.computeIfAbsent(layer, n -> LayerFactors.compute(model, spec, plan.scheme(n)));
    }

    /** Computes the factors of every compressible layer now (e.g. before timing evaluations). */
    public Decomposer precomputeAll() {
        for (LayerSpec l : plan.layers()) {
            factors(l.name());
        }
        return this;
    }

    /**
     * A new network in which every layer of {@code ranks} is replaced by its two factors truncated to its
     * rank; layers absent from {@code ranks} stay as they are. An empty configuration gives a copy.
     *
     * @throws io.rankforge.UserInputException for unknown layers or ranks outside [1, full rank]
     */
    public Model decompose(RankConfiguration ranks) {
        plan.validate(ranks);
        for (String layer : ranks.ranks().keySet()) {
            factors(layer);
        }
        if (model instanceof MultiLayerNetwork mln) {
            return MultiLayerRebuild.build(mln, plan, factors, ranks);
        }
        return GraphRebuild.build((ComputationGraph) model, plan, factors, ranks);
    }

    private static boolean hasLayerNamed(Model model, String name) {
        if (model instanceof ComputationGraph cg) {
            return cg.getConfiguration().getVertices().containsKey(name);
        }
        MultiLayerNetwork mln = (MultiLayerNetwork) model;
        for (int i = 0; i < mln.getnLayers(); i++) {
            if (name.equals(io.rankforge.model.NetworkLayers.nameOf(mln, i))) {
                return true;
            }
        }
        return false;
    }
}
