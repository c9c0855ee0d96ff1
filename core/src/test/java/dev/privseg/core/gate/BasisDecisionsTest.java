package dev.privseg.core.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BasisDecisionsTest {

  @Test
  void holdsEveryDecisionPerRow() {
    BasisDecision[] all = BasisDecision.values();
    BasisDecisions decisions = new BasisDecisions(all.length);
    for (int r = 0; r < all.length; r++) {
      decisions.set(r, all[all.length - 1 - r]);
    }
    for (int r = 0; r < all.length; r++) {
      assertThat(decisions.isDecided(r)).isTrue();
      assertThat(decisions.get(r)).isEqualTo(all[all.length - 1 - r]);
    }
    decisions.set(0, BasisDecision.ALLOWED);
    assertThat(decisions.get(0)).as("a later decision replaces an earlier one")
        .isEqualTo(BasisDecision.ALLOWED);
  }

  @Test
  void anUndecidedRowIsReportedByNumber() {
    BasisDecisions decisions = new BasisDecisions(3);
    decisions.set(0, BasisDecision.ALLOWED);
    assertThat(decisions.isDecided(2)).isFalse();
    assertThatThrownBy(() -> decisions.get(2)).isInstanceOf(IllegalStateException.class)
        .hasMessage("lawful basis gate left row 2 undecided");
    assertThat(decisions).hasToString("BasisDecisions[3 rows]");
  }
}
