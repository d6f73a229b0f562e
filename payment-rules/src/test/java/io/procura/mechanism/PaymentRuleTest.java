package io.procura.mechanism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.hipparchus.distribution.discrete.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tests of {@link PaymentRule} against docs/MECHANISM.md §3 and §6. */
class PaymentRuleTest {

  private static final BigInteger WAD = BigInteger.TEN.pow(18);

  private static BigInteger big(String value) {
    return new BigInteger(value);
  }

  @Test
  void toWadShouldRoundTheExactBinaryValueOfPDown() {
    assertThat(PaymentRule.toWad(0.0)).isEqualTo(BigInteger.ZERO);
    assertThat(PaymentRule.toWad(1.0)).isEqualTo(WAD);
    assertThat(PaymentRule.toWad(0.5)).isEqualTo(big("500000000000000000"));
    // The double 0.1 is 0.1000000000000000055511151231257827...; times 1e18, floored.
    assertThat(PaymentRule.toWad(0.1)).isEqualTo(big("100000000000000005"));

    Random random = new Random(7);
    for (int i = 0; i < 1_000; i++) {
      double p = random.nextDouble();
      BigDecimal exact = new BigDecimal(p).multiply(new BigDecimal(WAD));
      BigDecimal wad = new BigDecimal(PaymentRule.toWad(p));
      assertThat(wad).isLessThanOrEqualTo(exact);
      assertThat(wad.add(BigDecimal.ONE)).isGreaterThan(exact);
    }
  }

  @Test
  void prizesShouldFollowTheIntegerRecipeOnHandWorkedExamples() {
    // m = 3, p = 1/2: (1/2)^3 = 0.125 exactly, Q = 1.5 / 0.875 = 1.714285714285714285|71...
    SlotPrizes half = PaymentRule.prizes(3, big("500000000000000000"), BigInteger.valueOf(1_000_000));
    assertThat(half.totalPrizeWad()).isEqualTo(big("2500000000000000000"));
    assertThat(PaymentRule.oneMinusPToTheMWad(3, big("500000000000000000")))
        .isEqualTo(big("125000000000000000"));
    assertThat(half.committeePrizeWad()).isEqualTo(big("1714285714285714285"));
    assertThat(half.escrow()).isEqualTo(BigInteger.valueOf(2_500_000));
    assertThat(half.committeePrize()).isEqualTo(BigInteger.valueOf(1_714_285));
    assertThat(half.designatePrizeWithCommitteeDelivery()).isEqualTo(BigInteger.valueOf(785_715));

    // m = 3, p_wad = 333333333333333333: b = 666666666666666667, b*b/WAD = 444444444444444444
    // (floor of ...444.888), r = b * 444444444444444444 / WAD = 296296296296296296 (floor of
    // ...296.14); Q_wad = 999999999999999999e18 / 703703703703703704 = 1421052631578947366.
    BigInteger third = big("333333333333333333");
    assertThat(PaymentRule.oneMinusPToTheMWad(3, third)).isEqualTo(big("296296296296296296"));
    assertThat(PaymentRule.totalPrizeWad(3, third)).isEqualTo(big("1999999999999999999"));
    assertThat(PaymentRule.committeePrizeWad(3, third)).isEqualTo(big("1421052631578947366"));
    assertThat(PaymentRule.escrow(3, third, BigInteger.valueOf(1_000_000)))
        .isEqualTo(BigInteger.valueOf(1_999_999));
    assertThat(PaymentRule.committeePrizeTokens(3, third, BigInteger.valueOf(1_000_000)))
        .isEqualTo(BigInteger.valueOf(1_421_052));
  }

  @Test
  void powerOfOneMinusPShouldRoundDownAndStayWithinMUnitsOfTheExactValue() {
    Random random = new Random(11);
    for (int i = 0; i < 200; i++) {
      int m = 1 + random.nextInt(600);
      BigInteger pWad = new BigInteger(60, random).mod(WAD.add(BigInteger.ONE));
      BigInteger base = WAD.subtract(pWad);
      BigInteger exactFloor = base.pow(m).divide(WAD.pow(m - 1));
      BigInteger computed = PaymentRule.oneMinusPToTheMWad(m, pWad);
      // Each floor loses < 1 unit; an error in b^(2^i) reaches the result multiplied by at most
      // the exponent it is later raised to, so the errors add up to at most m + #multiplies.
      int multiplies = 2 * (32 - Integer.numberOfLeadingZeros(m));

      assertThat(computed).isLessThanOrEqualTo(exactFloor);
      assertThat(exactFloor.subtract(computed)).isLessThanOrEqualTo(BigInteger.valueOf(m + multiplies));
    }
  }

  @Test
  void wadPrizesShouldAgreeWithTheRealValuedPrizes() {
    Random random = new Random(13);
    for (int i = 0; i < 500; i++) {
      int m = 1 + random.nextInt(2_000);
      double p = Math.max(1e-6, random.nextDouble());
      BigInteger pWad = PaymentRule.toWad(p);
      double exactP = pWad.doubleValue() / 1e18;
      double t = PaymentRule.totalPrizeWad(m, pWad).doubleValue() / 1e18;
      double q = PaymentRule.committeePrizeWad(m, pWad).doubleValue() / 1e18;

      assertThat(t).isCloseTo(DesignatedMechanism.totalPrize(m, exactP), within(1e-12 * t));
      assertThat(q).isCloseTo(DesignatedMechanism.committeePrize(m, exactP), within(1e-9 * q));
    }
  }

  @Test
  void committeePrizeShouldBeOneProofWithoutMixingOrWithoutCommittee() {
    assertThat(PaymentRule.committeePrizeWad(29, BigInteger.ZERO)).isEqualTo(WAD);
    assertThat(PaymentRule.committeePrizeWad(0, big("400000000000000000"))).isEqualTo(WAD);
    assertThat(PaymentRule.oneMinusPToTheMWad(0, big("400000000000000000"))).isEqualTo(WAD);
    assertThat(PaymentRule.oneMinusPToTheMWad(7, WAD)).isZero();
    assertThat(PaymentRule.committeePrizeWad(7, WAD)).isEqualTo(WAD.multiply(BigInteger.valueOf(7)));
    assertThat(PaymentRule.committeePrizeWad(5, BigInteger.ONE)).isEqualTo(WAD);
  }

  @Test
  void committeePrizeShouldNeverExceedTheEscrow() {
    Random random = new Random(17);
    for (int i = 0; i < 2_000; i++) {
      int m = random.nextInt(1_500);
      BigInteger pWad = new BigInteger(60, random).mod(WAD.add(BigInteger.ONE));
      BigInteger price = new BigInteger(1 + random.nextInt(90), random);
      SlotPrizes prizes = PaymentRule.prizes(m, pWad, price);

      assertThat(prizes.committeePrize()).isLessThanOrEqualTo(prizes.escrow());
      assertThat(prizes.escrow()).isEqualTo(prizes.totalPrizeWad().multiply(price).divide(WAD));
      assertThat(prizes.designatePrizeWithCommitteeDelivery().signum()).isNotNegative();
    }
  }

  /**
   * End to end: quote with the optimiser, convert to tokens, settle every outcome; the designate
   * expects one proof price and a delivering committee member expects one proof price, up to the
   * rounding of p to wad and of payouts down to the token unit (docs/MECHANISM.md §3, §6).
   */
  @ParameterizedTest
  @EnumSource(FailurePolicy.class)
  void settledPayoutsShouldGiveEveryProverAnExpectedProofPrice(FailurePolicy policy) {
    DesignatedOptimum optimum = DesignatedMechanism.optimizeFullCommittee(30, 17, 1e4, 100, policy);
    int m = optimum.committeeSize();
    BigInteger pWad = PaymentRule.toWad(optimum.mixingProbability());
    double p = pWad.doubleValue() / 1e18;
    BigInteger price = WAD;
    SlotPrizes prizes = PaymentRule.prizes(m, pWad, price);

    BinomialDistribution committee = new BinomialDistribution(m, p);
    double designate = 0;
    for (int j = 0; j <= m; j++) {
      Settlement s =
          PaymentRule.settle(prizes.escrow(), prizes.committeePrize(), true, j, WAD, policy);
      designate += committee.probability(j) * s.designatePayout().doubleValue();
    }
    BinomialDistribution others = new BinomialDistribution(m - 1, p);
    double member = 0;
    for (int y = 0; y <= m - 1; y++) {
      Settlement s =
          PaymentRule.settle(prizes.escrow(), prizes.committeePrize(), true, y + 1, WAD, policy);
      member += others.probability(y) * s.perCommitteeMemberPayout().doubleValue();
    }

    assertThat(designate / 1e18).isCloseTo(1.0, within(1e-9));
    assertThat(member / 1e18).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void designateDeliveringWithCommitteeCopiesShouldSplitThePrizeAndReturnTheDust() {
    Settlement s =
        PaymentRule.settle(
            BigInteger.valueOf(2_500_000), BigInteger.valueOf(1_714_285), true, 3,
            BigInteger.valueOf(9_999), FailurePolicy.COMPENSATE_COMMITTEE);

    assertThat(s.perCommitteeMemberPayout()).isEqualTo(BigInteger.valueOf(571_428));
    assertThat(s.designatePayout()).isEqualTo(BigInteger.valueOf(785_715));
    assertThat(s.dust()).isEqualTo(BigInteger.ONE);
    assertThat(s.requesterRefund()).isEqualTo(BigInteger.ONE);
    assertThat(s.slashed()).isZero();
    assertThat(s.isConserved()).isTrue();
  }

  @Test
  void designateDeliveringAloneShouldReceiveTheWholeEscrow() {
    Settlement s =
        PaymentRule.settle(
            BigInteger.valueOf(2_500_000), BigInteger.valueOf(1_714_285), true, 0,
            BigInteger.valueOf(9_999), FailurePolicy.PAPER);

    assertThat(s.designatePayout()).isEqualTo(BigInteger.valueOf(2_500_000));
    assertThat(s.requesterRefund()).isZero();
    assertThat(s.committeePayoutTotal()).isZero();
    assertThat(s.slashed()).isZero();
  }

  @Test
  void shouldSlashDesignateAndRefundRequesterUnderThePaperPolicy() {
    Settlement s =
        PaymentRule.settle(
            BigInteger.valueOf(2_500_000), BigInteger.valueOf(1_714_285), false, 2,
            BigInteger.valueOf(9_999), FailurePolicy.PAPER);

    assertThat(s.slashed()).isEqualTo(BigInteger.valueOf(9_999));
    assertThat(s.designatePayout()).isZero();
    assertThat(s.perCommitteeMemberPayout()).isZero();
    assertThat(s.requesterRefund()).isEqualTo(BigInteger.valueOf(2_509_999));
  }

  @Test
  void shouldPayCommitteeDeliverersFromTheSlashedBondUnderTheCompensatePolicy() {
    Settlement rich =
        PaymentRule.settle(
            BigInteger.valueOf(2_500_000), BigInteger.valueOf(1_714_285), false, 2,
            BigInteger.valueOf(5_000_000), FailurePolicy.COMPENSATE_COMMITTEE);
    assertThat(rich.perCommitteeMemberPayout()).isEqualTo(BigInteger.valueOf(857_142));
    assertThat(rich.dust()).isEqualTo(BigInteger.ONE);
    assertThat(rich.requesterRefund()).isEqualTo(BigInteger.valueOf(2_500_000 + 5_000_000 - 1_714_284));
    assertThat(rich.designatePayout()).isZero();

    Settlement poor =
        PaymentRule.settle(
            BigInteger.valueOf(2_500_000), BigInteger.valueOf(1_714_285), false, 3,
            BigInteger.valueOf(1_000), FailurePolicy.COMPENSATE_COMMITTEE);
    assertThat(poor.perCommitteeMemberPayout()).isEqualTo(BigInteger.valueOf(333));
    assertThat(poor.dust()).isEqualTo(BigInteger.ONE);
    assertThat(poor.requesterRefund()).isEqualTo(BigInteger.valueOf(2_500_000 + 1));

    Settlement nobody =
        PaymentRule.settle(
            BigInteger.valueOf(2_500_000), BigInteger.valueOf(1_714_285), false, 0,
            BigInteger.valueOf(1_000), FailurePolicy.COMPENSATE_COMMITTEE);
    assertThat(nobody.requesterRefund()).isEqualTo(BigInteger.valueOf(2_501_000));
  }

  @Test
  void everySettlementShouldConserveTokensToTheUnit() {
    Random random = new Random(19);
    for (int i = 0; i < 20_000; i++) {
      BigInteger escrow = new BigInteger(1 + random.nextInt(100), random);
      BigInteger committeePrize =
          escrow.signum() == 0 ? BigInteger.ZERO : new BigInteger(escrow.bitLength() + 1, random).mod(escrow.add(BigInteger.ONE));
      BigInteger bond = new BigInteger(random.nextInt(100), random);
      int deliveries = random.nextInt(random.nextBoolean() ? 4 : 2_000);
      boolean delivered = random.nextBoolean();
      FailurePolicy policy = FailurePolicy.values()[random.nextInt(2)];

      Settlement s = PaymentRule.settle(escrow, committeePrize, delivered, deliveries, bond, policy);

      assertThat(s.isConserved()).as("%s", s).isTrue();
      assertThat(s.escrow().add(s.slashed()))
          .isEqualTo(s.designatePayout().add(s.committeePayoutTotal()).add(s.requesterRefund()));
      assertThat(s.dust()).isLessThan(BigInteger.valueOf(Math.max(1, deliveries)));
      assertThat(s.committeePayoutTotal()).isLessThanOrEqualTo(committeePrize);
      assertThat(s.slashed()).isEqualTo(delivered ? BigInteger.ZERO : bond);
    }
  }

  @Test
  void tamperedSettlementShouldFailTheConservationCheck() {
    Settlement honest =
        PaymentRule.settle(BigInteger.TEN, BigInteger.valueOf(4), true, 3, BigInteger.ONE, FailurePolicy.PAPER);
    Settlement tampered =
        new Settlement(
            honest.escrow(), honest.slashed(), honest.designatePayout().add(BigInteger.ONE),
            honest.committeeDeliveries(), honest.perCommitteeMemberPayout(),
            honest.requesterRefund(), honest.dust());

    assertThat(honest.requireConserved()).isSameAs(honest);
    assertThat(tampered.isConserved()).isFalse();
    assertThatThrownBy(tampered::requireConserved)
        .isInstanceOf(MechanismException.class)
        .hasMessageContaining("does not conserve");
  }

  @Test
  void invalidAmountsShouldBeRejectedWithTheBadValueNamed() {
    BigInteger ten = BigInteger.TEN;
    FailurePolicy paper = FailurePolicy.PAPER;
    assertThatThrownBy(() -> PaymentRule.toWad(Double.NaN))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = NaN");
    assertThatThrownBy(() -> PaymentRule.toWad(1.5))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = 1.5");
    assertThatThrownBy(() -> PaymentRule.toWad(-0.25))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p = -0.25");
    assertThatThrownBy(() -> PaymentRule.totalPrizeWad(-2, ten))
        .isInstanceOf(MechanismException.class).hasMessageContaining("m = -2");
    assertThatThrownBy(() -> PaymentRule.committeePrizeWad(3, WAD.add(BigInteger.ONE)))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p_wad = 1000000000000000001");
    assertThatThrownBy(() -> PaymentRule.oneMinusPToTheMWad(3, BigInteger.valueOf(-1)))
        .isInstanceOf(MechanismException.class).hasMessageContaining("p_wad = -1");
    assertThatThrownBy(() -> PaymentRule.prizes(3, ten, BigInteger.valueOf(-5)))
        .isInstanceOf(MechanismException.class).hasMessageContaining("proof price").hasMessageContaining("-5");
    assertThatThrownBy(() -> PaymentRule.prizes(3, WAD, BigInteger.ONE.shiftLeft(250)))
        .isInstanceOf(MechanismException.class).hasMessageContaining("exceeds uint256");
    assertThatThrownBy(() -> PaymentRule.settle(ten, BigInteger.valueOf(11), true, 1, ten, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("got 11");
    assertThatThrownBy(() -> PaymentRule.settle(BigInteger.valueOf(-1), BigInteger.ZERO, true, 1, ten, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("escrow").hasMessageContaining("-1");
    assertThatThrownBy(() -> PaymentRule.settle(ten, ten, false, -1, ten, paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("got -1");
    assertThatThrownBy(() -> PaymentRule.settle(ten, ten, false, 1, BigInteger.valueOf(-3), paper))
        .isInstanceOf(MechanismException.class).hasMessageContaining("bond at risk").hasMessageContaining("-3");
    assertThatThrownBy(() -> PaymentRule.settle(ten, ten, false, 1, ten, null))
        .isInstanceOf(MechanismException.class).hasMessageContaining("policy");
  }
}
