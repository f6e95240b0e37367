package io.rankforge.jobs.spark;

import io.rankforge.runtime.NativeBackend;
import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Picks each executor's native build (oneDNN where its CPU has AVX2) when the executor starts, before a task can
 * load ND4J: executors on other machines decide for their own CPU. Registered by {@link Sessions} through
 * {@code spark.plugins}; the driver already chose in {@code Main}.
 */
public final class NativeBackendPlugin implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                NativeBackend.select();
            }
        };
    }
}
