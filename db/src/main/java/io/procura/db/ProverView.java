package io.procura.db;

/**
 * A prover as the API shows it: its registration and its current bond state.
 *
 * @param prover the registration
 * @param bond   the current bond state, or {@code null} if no bond event was stored yet
 */
public record ProverView(ProverRow prover, BondState bond) {
}
