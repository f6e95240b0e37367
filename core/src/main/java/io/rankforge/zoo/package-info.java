/**
 * The model zoo: architectures (lenet5, vgg-mini, resnet-20, vgg-mini-w2, vgg-16, resnet-32,
 * resnet-56), their training schedule and trained artifacts.
 *
 * <p>May depend on: the root package, {@code data}, {@code io}.
 */
package io.rankforge.zoo;
