package io.procura.app.ops;

import io.procura.chain.ChainClient;
import io.procura.chain.ChainException;
import io.procura.chain.MarketContracts;
import io.procura.chain.Tokens;
import io.procura.contracts.generated.ProverRegistry;
import java.math.BigInteger;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code procura prover}: a prover operator's own commands on a deployed market, with the operator's key (keystore
 * or environment variable), amounts in tokens, reverts decoded to their custom errors: {@code status}, {@code
 * unjail}, {@code unbond}, {@code withdraw}, {@code commission}, {@code claim}.
 */
@Command(name = "prover", mixinStandardHelpOptions = true,
        description = "A prover operator's commands: status, unjail, unbond, withdraw, commission, claim.",
        subcommands = {ProverCommand.Status.class, ProverCommand.Unjail.class, ProverCommand.Unbond.class,
                ProverCommand.Withdraw.class, ProverCommand.Commission.class, ProverCommand.Claim.class})
public final class ProverCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs {@code body} with the chain, the contracts bound to the key, and the key. */
    interface Body {
        void run(ChainClient chain, MarketContracts contracts, Credentials key) throws Exception;
    }

    static int withMarket(MarketConnection market, Body body) {
        try (ChainClient chain = ChainClient.connect(market.rpcUrl)) {
            Credentials key = market.key.credentials();
            body.run(chain, MarketContracts.load(chain, market.deployment(), key), key);
            return 0;
        } catch (ChainException | IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException(e.getMessage(), e);
        }
    }

    /** Registration, bond, stake, lock, unbonding, jail, eligibility, commission, claimable payouts. */
    @Command(name = "status", mixinStandardHelpOptions = true, description = "The prover's state in the registry and the market.")
    static final class Status implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--prover", description = "the prover's address [default: the key's]")
        String prover;

        @Override
        public Integer call() {
            return withMarket(market, (chain, c, key) -> {
                String who = prover != null ? checked(prover) : key.getAddress();
                ProverRegistry r = c.registry();
                ProverRegistry.ProverInfo info = r.getProver(who).send();
                if (!info.registered) {
                    System.out.printf("%s is not registered (`procura agent` registers and bonds)%n", who);
                    return;
                }
                System.out.printf("prover       %s (%s)%n", who, info.endpoint);
                System.out.printf("pool stake   %s tokens (own %s, free %s, locked by slots %s)%n", tok(info.bond),
                        tok(r.stakeOf(who, who).send()), tok(r.freeBondOf(who).send()), tok(info.locked));
                System.out.printf("eligible     %s (min bond %s tokens); circuits %s%n", info.eligible,
                        tok(r.minBond().send()), r.circuitsOf(who).send());
                if (info.jailed) {
                    Instant free = Instant.ofEpochSecond(info.jailedAt.longValueExact() + r.jailCooldown().send().longValueExact());
                    System.out.printf("JAILED       since %s; `procura prover unjail` from %s%n",
                            Instant.ofEpochSecond(info.jailedAt.longValueExact()), free);
                } else {
                    System.out.println("jailed       no");
                }
                var own = r.pendingOf(who, who).send();
                if (own.component1().signum() > 0) {
                    System.out.printf("unbonding    %s tokens of your own stake, withdrawable from %s%n",
                            tok(own.component1()), Instant.ofEpochSecond(own.component2().longValueExact()));
                }
                if (info.pendingUnbond.signum() > 0) {
                    System.out.printf("pool exits   %s tokens leaving the pool (operator and stakers)%n", tok(info.pendingUnbond));
                }
                System.out.printf("commission   %.2f%% (the rest of each payout goes to the pool's stakers)%n",
                        info.commissionBps.intValue() / 100.0);
                System.out.printf("claimable    %s tokens in the market (`procura prover claim`)%n",
                        tok(c.market().claimable(who).send()));
            });
        }
    }

    /** Leaves jail once the cool-down has passed. */
    @Command(name = "unjail", mixinStandardHelpOptions = true, description = "Leave jail (after the jail cool-down).")
    static final class Unjail implements Callable<Integer> {
        @Mixin
        MarketConnection market;

        @Override
        public Integer call() {
            return withMarket(market, (chain, c, key) -> {
                c.registry().unjail().send();
                System.out.printf("%s unjailed; eligible again: %s%n", key.getAddress(),
                        c.registry().isEligible(key.getAddress()).send());
            });
        }
    }

    /** Starts unbonding part of the operator's own stake. */
    @Command(name = "unbond", mixinStandardHelpOptions = true,
            description = "Start unbonding tokens of your own stake (withdrawable after the unbonding delay).")
    static final class Unbond implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--amount", required = true, description = "tokens")
        String amount;

        @Override
        public Integer call() {
            return withMarket(market, (chain, c, key) -> {
                c.registry().requestUnbond(Tokens.parse(amount)).send();
                var own = c.registry().pendingOf(key.getAddress(), key.getAddress()).send();
                System.out.printf("unbonding %s tokens of your own stake, withdrawable from %s (`procura prover withdraw`)%n",
                        tok(own.component1()), Instant.ofEpochSecond(own.component2().longValueExact()));
            });
        }
    }

    /** Withdraws what finished unbonding. */
    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw the tokens that finished unbonding.")
    static final class Withdraw implements Callable<Integer> {
        @Mixin
        MarketConnection market;

        @Override
        public Integer call() {
            return withMarket(market, (chain, c, key) -> {
                BigInteger before = c.token().balanceOf(key.getAddress()).send();
                c.registry().withdraw().send();
                System.out.printf("withdrew %s tokens%n", tok(c.token().balanceOf(key.getAddress()).send().subtract(before)));
            });
        }
    }

    /** Sets the operator's commission. */
    @Command(name = "commission", mixinStandardHelpOptions = true,
            description = "Set your commission: the part of each payout you keep; the rest goes to your pool's stakers.")
    static final class Commission implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--percent", required = true, description = "0 to 100, two decimals at most")
        java.math.BigDecimal percent;

        @Override
        public Integer call() {
            if (percent.signum() < 0 || percent.compareTo(java.math.BigDecimal.valueOf(100)) > 0 || percent.scale() > 2) {
                throw new IllegalArgumentException("--percent must be between 0 and 100 with at most two decimals, got "
                        + percent.toPlainString());
            }
            int bps = percent.movePointRight(2).intValueExact();
            return withMarket(market, (chain, c, key) -> {
                c.registry().setCommission(BigInteger.valueOf(bps)).send();
                System.out.printf("commission set to %s%% (%d bps); in force now: %.2f%% (a decrease applies at once, an "
                        + "increase after the unbonding delay, so stakers can leave first)%n", percent.toPlainString(), bps,
                        c.registry().commissionOf(key.getAddress()).send().intValue() / 100.0);
            });
        }
    }

    /** Claims the market's payouts credited to the key. */
    @Command(name = "claim", mixinStandardHelpOptions = true, description = "Claim your payouts from the market.")
    static final class Claim implements Callable<Integer> {
        @Mixin
        MarketConnection market;

        @Override
        public Integer call() {
            return withMarket(market, (chain, c, key) -> {
                BigInteger owed = c.market().claimable(key.getAddress()).send();
                if (owed.signum() == 0) {
                    System.out.println("nothing to claim");
                    return;
                }
                c.market().claim().send();
                System.out.printf("claimed %s tokens%n", tok(owed));
            });
        }
    }

    static String tok(BigInteger baseUnits) {
        return Tokens.format(baseUnits, 4);
    }

    static String checked(String address) {
        if (!org.web3j.crypto.WalletUtils.isValidAddress(address)) throw new IllegalArgumentException("not an address: " + address);
        return address;
    }
}
