/**
 * Writing RankForge's networks in other formats: ONNX ({@link io.rankforge.export.OnnxExporter}), for the zoo
 * networks, decomposed networks and imported ones alike.
 *
 * <p>May depend on: the root package, {@code io}, {@code model} (and, through it, what a loaded model is). Nothing
 * in core depends on it.
 */
package io.rankforge.export;
