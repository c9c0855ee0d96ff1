/**
 * Gaussian mixtures with diagonal covariances, fitted by EM, with k chosen by BIC.
 */
package dev.privseg.core.segment.gmm;
