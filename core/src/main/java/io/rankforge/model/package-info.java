/**
 * Loading any supported model file (DL4J zip, Caffe, Keras, ONNX) and describing its layers as {@link
 * io.rankforge.model.LayerSpec}s.
 *
 * <p>May depend on: the root package, {@code io}, {@code zoo}, {@code importer} and its sub-packages.
 */
package io.rankforge.model;
