/**
 * Image datasets (Fashion-MNIST, MNIST, CIFAR-10 binaries): finding, fetching and verifying them, reading IDX files,
 * train/held-out/test splits.
 *
 * <p>May depend on: the root package, {@code io}.
 */
package io.rankforge.data;
