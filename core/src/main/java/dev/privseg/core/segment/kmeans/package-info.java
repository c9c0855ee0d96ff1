/**
 * k-means: k-means++ seeding, Lloyd's algorithm with Hamerly's exact bounds, mini-batch
 * k-means, and choosing k by sampled silhouette or the elbow
 * ({@link dev.privseg.core.segment.kmeans.KSelection}). Seeded and reproducible; the result does
 * not depend on the number of threads.
 */
package dev.privseg.core.segment.kmeans;
