# shellcheck shell=bash
# Shared by the scripts that time TrainSteps in fresh JVMs (benchmarks/blas-threads, benchmarks/kernel-ab): sourced
# from the repository root. Builds the benchmarks' classpath into CP and reads the launcher's JVM options.
# shellcheck source=bin/jvm-options
. bin/jvm-options
( mvn -B -DskipTests -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
    >"$work/build.log" 2>&1 ) || { tail -20 "$work/build.log"; exit 1; }
CP="benchmarks/target/classes:core/target/classes:$(cat benchmarks/target/cp.txt)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
cpu="$(grep -m1 "^model name" /proc/cpuinfo | cut -d: -f2 | xargs) family $(grep -m1 "^cpu family" /proc/cpuinfo | cut -d: -f2 | xargs)"

# "MEAN MEDIAN": ms per training step of $model ($steps steps, the first $untimed not timed, variant $variant or
# original) and the median step (which leaves out the steps that a garbage collection or the JIT compiler
# interrupted), in a fresh JVM started as bin/rankforge starts RankForge, with the environment assignments given as
# arguments.
# shellcheck disable=SC2086
step_stats() { env "$@" java -Xmx6g $THP_OPTS $JIT_OPTS -cp "$CP" \
    io.rankforge.benchmarks.speed.TrainSteps "$model" "$steps" "${variant:-original}" "$untimed" 2>&1 \
    | sed -n 's/.* \([0-9.]*\) ms per step .*steps. median \([0-9.]*\) ms.*/\1 \2/p'; }

# The mean alone (step_stats' first field).
step_ms() { step_stats "$@" | cut -d" " -f1; }
