package dev.privseg.anonymization.dp;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Exact Bernoulli samplers over {@link SecureRandom}, with rational parameters and no floating
 * point: the building blocks of Canonne, Kamath &amp; Steinke, "The Discrete Gaussian for
 * Differential Privacy" (NeurIPS 2020), Algorithm 1. Floating-point noise leaks through the
 * rounding of {@code log(random)} (Mironov, CCS 2012); these samplers have no such path.
 */
final class ExactBernoulli {
  private ExactBernoulli() {}

  /** An exactly uniform integer in {@code [0, bound)}, by rejection. */
  static BigInteger uniform(BigInteger bound, SecureRandom random) {
    int bits = bound.bitLength();
    BigInteger r;
    do {
      r = new BigInteger(bits, random);
    } while (r.compareTo(bound) >= 0);
    return r;
  }

  /** Bernoulli(num / den), {@code 0 <= num <= den}. */
  static boolean bernoulli(BigInteger num, BigInteger den, SecureRandom random) {
    return uniform(den, random).compareTo(num) < 0;
  }

  /** Bernoulli(exp(-num / den)) for {@code num / den >= 0} (CKS 2020, Algorithm 1). */
  static boolean bernoulliExpMinus(BigInteger num, BigInteger den, SecureRandom random) {
    if (num.compareTo(den) <= 0) {
      // gamma in [0, 1]: K = 1; while Bernoulli(gamma / K) succeeds, K++; return K odd.
      BigInteger k = BigInteger.ONE;
      while (bernoulli(num, den.multiply(k), random)) {
        k = k.add(BigInteger.ONE);
      }
      return k.testBit(0);
    }
    BigInteger[] whole = num.divideAndRemainder(den);
    for (BigInteger i = BigInteger.ZERO; i.compareTo(whole[0]) < 0; i = i.add(BigInteger.ONE)) {
      if (!bernoulliExpMinus(BigInteger.ONE, BigInteger.ONE, random)) {
        return false;
      }
    }
    return bernoulliExpMinus(whole[1], den, random);
  }
}
