/**
 * Differential privacy: exact discrete Laplace and discrete Gaussian samplers (Canonne, Kamath
 * and Steinke 2020) over {@code SecureRandom}, a
 * {@link dev.privseg.anonymization.dp.PrivacyAccountant} that refuses any release that would
 * exceed the budget before computing it, DP profiles and DP k-means.
 */
package dev.privseg.anonymization.dp;
