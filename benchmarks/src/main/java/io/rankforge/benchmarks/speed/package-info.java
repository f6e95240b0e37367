/**
 * Speed measurements that run DL4J networks (benchmarks/run drives them): zoo training and inference next to a
 * PyTorch twin, the realised speed-up of decomposed networks, per-layer SVD. Plain mains writing CSV, not JMH: each
 * measurement is seconds long and repeated by the main itself.
 */
package io.rankforge.benchmarks.speed;
