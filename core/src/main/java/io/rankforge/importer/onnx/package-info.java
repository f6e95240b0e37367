/**
 * The ONNX importer: a {@code .onnx} file exported by PyTorch ({@code torch.onnx.export}, opsets 13 to 18) to a
 * DL4J computation graph that keeps the ONNX node names (docs/onnx.md).
 *
 * <p>May depend on: {@code importer}, the root package, {@code io}, and the generated ONNX protobuf classes.
 */
package io.rankforge.importer.onnx;
