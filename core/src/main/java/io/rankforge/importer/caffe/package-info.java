/**
 * The Caffe importer: prototxt + caffemodel to a DL4J computation graph that keeps Caffe's layer names.
 *
 * <p>May depend on: {@code importer}, the root package, {@code io}.
 */
package io.rankforge.importer.caffe;
