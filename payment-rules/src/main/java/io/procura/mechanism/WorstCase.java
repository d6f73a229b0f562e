package io.procura.mechanism;

import java.util.List;

/**
 * WorstCase is the result of an exhaustive worst-case evaluation (paper Def. 2.2; docs/MECHANISM.md
 * §1) by {@link ExactEvaluator}: the loss and one adversary behaviour that attains it.
 *
 * @param loss the maximum over adversary sets and adversary deliveries of the expected cost over
 *     honest provers' coins, proof-cost units
 * @param adversarySet the provers (indices into the profile) that the worst adversary controls
 * @param adversaryDeliveries those of {@code adversarySet} that deliver in the worst case
 */
public record WorstCase(double loss, List<Integer> adversarySet, List<Integer> adversaryDeliveries) {}
