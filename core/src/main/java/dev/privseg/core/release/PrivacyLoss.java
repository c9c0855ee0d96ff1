package dev.privseg.core.release;

import dev.privseg.core.Checks;
import java.math.BigInteger;

/**
 * The (ε, δ)-differential-privacy loss of one release step, under add/remove-one-subject
 * neighbours, as exact fractions such as {@code "1/4"}. A pipeline adds the losses of the steps
 * its profiles depend on (basic composition: ε and δ add up) to state the guarantee of its
 * profiles. Immutable.
 *
 * @param epsilon ε, a non-negative fraction {@code "p"} or {@code "p/q"}
 * @param delta δ, a fraction in {@code [0, 1)}
 */
public record PrivacyLoss(String epsilon, String delta) {

  /** Checks both fractions. */
  public PrivacyLoss {
    Checks.check(fraction(epsilon, "epsilon").signum() >= 0, "epsilon must be >= 0 but was %s",
        epsilon);
    Checks.check(fraction(delta, "delta").signum() >= 0, "delta must be >= 0 but was %s", delta);
  }

  /** Pure ε-DP: δ = 0. */
  public static PrivacyLoss pure(String epsilon) {
    return new PrivacyLoss(epsilon, "0");
  }

  /** The loss of running this step and {@code other} on the same subjects (basic composition). */
  public PrivacyLoss plus(PrivacyLoss other) {
    return new PrivacyLoss(add(epsilon, other.epsilon), add(delta, other.delta));
  }

  private static BigInteger fraction(String text, String name) {
    Checks.notBlank(text, name);
    Checks.check(text.matches("-?[0-9]{1,40}(/[1-9][0-9]{0,39})?"),
        "%s must be a fraction such as 1/4 but was %s", name, text);
    return num(text);
  }

  private static BigInteger num(String f) {
    int slash = f.indexOf('/');
    return new BigInteger(slash < 0 ? f : f.substring(0, slash));
  }

  private static BigInteger den(String f) {
    int slash = f.indexOf('/');
    return slash < 0 ? BigInteger.ONE : new BigInteger(f.substring(slash + 1));
  }

  private static String add(String a, String b) {
    BigInteger n = num(a).multiply(den(b)).add(num(b).multiply(den(a)));
    BigInteger d = den(a).multiply(den(b));
    BigInteger g = n.gcd(d);
    if (g.signum() != 0) {
      n = n.divide(g);
      d = d.divide(g);
    }
    return d.equals(BigInteger.ONE) ? n.toString() : n + "/" + d;
  }
}
