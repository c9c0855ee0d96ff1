package dev.privseg.anonymization.dp;

import dev.privseg.core.Checks;
import dev.privseg.core.ConfigurationException;
import dev.privseg.core.release.BudgetStatus;
import dev.privseg.core.release.SpendLog;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds one privacy budget (ε, δ) for a purpose and dataset and refuses, before anything is
 * computed, every release that would overspend it. Pure ε-DP releases (Laplace noise) compose by
 * adding their ε (basic composition); Gaussian releases are accounted in zero-concentrated DP,
 * where their ρ add up (Bun &amp; Steinke, TCC 2016), and the total ρ is converted to ε at the
 * budget's δ with {@code ε = ρ + 2·sqrt(ρ·ln(1/δ))} (their Proposition 1.3). The total ε is the
 * sum of both parts, rounded up, so the check errs on the side of refusing. Thread-safe.
 *
 * <pre>{@code
 * PrivacyAccountant budget = PrivacyAccountant.withBudget(Rational.parse("1"), Rational.parse("1e-6"));
 * budget.spendPure("segment sizes", Rational.parse("0.25"));   // before adding Laplace noise
 * budget.spendZcdp("segment means", Rational.parse("0.01"));   // before adding Gaussian noise
 * budget.spentEpsilon();                                       // for the processing record
 * }</pre>
 */
public final class PrivacyAccountant {
  private static final MathContext UP = new MathContext(34, RoundingMode.UP);

  private final Rational epsilon;
  private final Rational delta;
  private final List<Spend> spends = new ArrayList<>();
  private Rational pure = Rational.ZERO;
  private Rational rho = Rational.ZERO;
  private final SpendLog log; // null: this accountant's memory only
  private final String budgetId;

  private PrivacyAccountant(Rational epsilon, Rational delta, SpendLog log, String budgetId) {
    this.epsilon = epsilon;
    this.delta = delta;
    this.log = log;
    this.budgetId = budgetId;
  }

  /** A fresh budget of {@code epsilon} (> 0) and {@code delta} (in [0, 1)). */
  public static PrivacyAccountant withBudget(Rational epsilon, Rational delta) {
    Checks.notNull(epsilon, "epsilon");
    Checks.notNull(delta, "delta");
    Checks.check(epsilon.num().signum() > 0, "epsilon must be > 0 but was %s", epsilon);
    Checks.check(delta.compareTo(Rational.of(1, 1)) < 0, "delta must be < 1 but was %s", delta);
    return new PrivacyAccountant(epsilon, delta, null, null);
  }

  /**
   * A budget whose spends are kept in {@code log} under {@code budgetId} (e.g. one id per purpose
   * and dataset): spends recorded by earlier runs or other processes count, and a release is
   * refused if the shared total would exceed the budget. The first opening of an id pins its
   * budget in the log.
   *
   * @throws ConfigurationException if {@code budgetId} was first opened with another ε or δ
   */
  public static PrivacyAccountant persistent(String budgetId, Rational epsilon, Rational delta,
      SpendLog log) {
    PrivacyAccountant plain = withBudget(epsilon, delta);
    Checks.notBlank(budgetId, "budget id");
    Checks.notNull(log, "spend log");
    // The first opening pins the budget; a later one with another budget would overspend it.
    SpendLog.Budget asked = new SpendLog.Budget(epsilon.toString(), delta.toString());
    SpendLog.Budget held = log.pinBudget(budgetId, asked);
    if (!asked.equals(held)) {
      throw new ConfigurationException("privacy budget '" + budgetId + "' holds epsilon "
          + held.epsilon() + ", delta " + held.delta() + ", the budget it was first opened with; "
          + "it cannot be opened with epsilon " + asked.epsilon() + ", delta " + asked.delta()
          + " (a budget id keeps its budget: use a new id for a new budget)");
    }
    return new PrivacyAccountant(plain.epsilon, plain.delta, log, budgetId);
  }

  /**
   * Where every budget pinned in {@code log} stands, by id: what a compliance status lists.
   * Read only.
   */
  public static List<BudgetStatus> budgets(SpendLog log) {
    Checks.notNull(log, "spend log");
    List<BudgetStatus> out = new ArrayList<>();
    log.budgets().forEach((id, budget) -> {
      PrivacyAccountant a = persistent(id, Rational.parse(budget.epsilon()),
          Rational.parse(budget.delta()), log);
      Rational spent = a.spentEpsilon();
      out.add(new BudgetStatus(id, budget.epsilon(), budget.delta(), spent.toString(),
          Math.min(1, spent.toDouble() / a.epsilon.toDouble()), a.spends().size()));
    });
    return out;
  }

  /**
   * One accepted release.
   *
   * @param release what was released, e.g. "profile means, segment 3"
   * @param kind "pure" (ε) or "zCDP" (ρ)
   * @param amount the ε or ρ spent
   * @param at when
   */
  public record Spend(String release, String kind, Rational amount, Instant at) {}

  /** Spends {@code amount} of pure ε for {@code release}, or throws without spending. */
  public synchronized Spend spendPure(String release, Rational amount) {
    Checks.notBlank(release, "release");
    Checks.check(amount.num().signum() > 0, "epsilon of release '%s' must be > 0", release);
    return spend(release, "pure", amount);
  }

  /** Spends {@code amount} of ρ (zCDP) for {@code release}, or throws without spending. */
  public synchronized Spend spendZcdp(String release, Rational amount) {
    Checks.notBlank(release, "release");
    Checks.check(amount.num().signum() > 0, "rho of release '%s' must be > 0", release);
    Checks.check(delta.num().signum() > 0,
        "release '%s' uses zCDP, which needs a budget with delta > 0", release);
    return spend(release, "zCDP", amount);
  }

  private Spend spend(String release, String kind, Rational amount) {
    while (true) {
      int known = log == null ? spends.size() : reload();
      Rational newPure = kind.equals("pure") ? pure.plus(amount) : pure;
      Rational newRho = kind.equals("zCDP") ? rho.plus(amount) : rho;
      refuseIfOver(release, (kind.equals("pure") ? "epsilon " : "rho ") + amount,
          totalEpsilon(newPure, newRho));
      Spend s = new Spend(release, kind, amount, Instant.now());
      if (log != null && !log.appendIf(budgetId, known, new SpendLog.Spend(release, kind,
          amount.toString(), s.at()))) {
        continue; // another process spent meanwhile: re-read and check again
      }
      pure = newPure;
      rho = newRho;
      spends.add(s);
      return s;
    }
  }

  /** Replaces this accountant's view by the log's; returns the number of spends in it. */
  private int reload() {
    List<SpendLog.Spend> logged = log.spends(budgetId);
    spends.clear();
    pure = Rational.ZERO;
    rho = Rational.ZERO;
    for (SpendLog.Spend l : logged) {
      Rational a = parse(l.amount());
      if (l.kind().equals("pure")) {
        pure = pure.plus(a);
      } else {
        rho = rho.plus(a);
      }
      spends.add(new Spend(l.release(), l.kind(), a, l.at()));
    }
    return logged.size();
  }

  private static Rational parse(String fraction) {
    int slash = fraction.indexOf('/');
    return slash < 0 ? new Rational(new BigInteger(fraction), BigInteger.ONE)
        : new Rational(new BigInteger(fraction.substring(0, slash)),
            new BigInteger(fraction.substring(slash + 1)));
  }

  private void refuseIfOver(String release, String cost, Rational total) {
    if (total.compareTo(epsilon) > 0) {
      throw new BudgetExceededException("release '" + release + "' needs " + cost
          + ", which would bring the total to epsilon " + approx(total) + " over the budget "
          + approx(epsilon) + " (already spent: " + approx(spentEpsilon()) + ")");
    }
  }

  /** The ε spent so far, composition included (an upper bound); re-read from a log if any. */
  public synchronized Rational spentEpsilon() {
    if (log != null) {
      reload();
    }
    return totalEpsilon(pure, rho);
  }

  /** The δ spent so far: the budget's δ once any zCDP release was made, else 0. */
  public synchronized Rational spentDelta() {
    return rho.num().signum() == 0 ? Rational.ZERO : delta;
  }

  /** The budget's ε. */
  public Rational budgetEpsilon() {
    return epsilon;
  }

  /** The budget's δ. */
  public Rational budgetDelta() {
    return delta;
  }

  /** Every accepted release, in order (from the log, if any). */
  public synchronized List<Spend> spends() {
    if (log != null) {
      reload();
    }
    return List.copyOf(spends);
  }

  private Rational totalEpsilon(Rational pureSum, Rational rhoSum) {
    if (rhoSum.num().signum() == 0) {
      return pureSum;
    }
    return pureSum.plus(epsilonOfRho(rhoSum, delta));
  }

  /** The ε at {@code delta} of a ρ-zCDP release, rounded up; see the class. */
  static Rational epsilonOfRho(Rational rhoSum, Rational delta) {
    // ε(ρ) = ρ + 2·sqrt(ρ·ln(1/δ)), computed in BigDecimal and rounded up; ln(1/δ) comes from
    // Math.log, whose error (under 1 ulp) is covered by the relative margin added below.
    BigDecimal r = new BigDecimal(rhoSum.num()).divide(new BigDecimal(rhoSum.den()), UP);
    double lnInvDelta = -Math.log(delta.toDouble());
    BigDecimal ln = new BigDecimal(lnInvDelta).multiply(new BigDecimal("1.000000000001"), UP);
    BigDecimal root = r.multiply(ln, UP).sqrt(UP);
    BigDecimal eps = r.add(root.multiply(BigDecimal.valueOf(2), UP), UP);
    return fromDecimal(eps);
  }

  private static Rational fromDecimal(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    if (s.scale() <= 0) {
      return new Rational(s.toBigIntegerExact(), BigInteger.ONE);
    }
    return new Rational(s.unscaledValue(), BigInteger.TEN.pow(s.scale()));
  }

  private static String approx(Rational r) {
    return String.format(java.util.Locale.ROOT, "%.6g", r.toDouble());
  }

  @Override
  public synchronized String toString() {
    return "PrivacyAccountant[budget epsilon " + approx(epsilon) + ", delta " + delta
        + ", spent epsilon " + approx(spentEpsilon()) + " in " + spends.size() + " releases]";
  }
}
