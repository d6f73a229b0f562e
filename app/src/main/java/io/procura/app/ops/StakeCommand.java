package io.procura.app.ops;

import static io.procura.app.ops.ProverCommand.checked;
import static io.procura.app.ops.ProverCommand.tok;
import static io.procura.app.ops.ProverCommand.withMarket;

import io.procura.chain.Tokens;
import java.math.BigInteger;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code procura stake}: a staker's commands (stake behind a prover, unstake, withdraw, see the position, move a
 * prover's accrued staker rewards into its pool), with the staker's key, amounts in tokens.
 */
@Command(name = "stake", mixinStandardHelpOptions = true,
        description = "A staker's commands: to, unstake, withdraw, position, distribute.",
        subcommands = {StakeCommand.To.class, StakeCommand.Unstake.class, StakeCommand.Withdraw.class,
                StakeCommand.Position.class, StakeCommand.Distribute.class})
public final class StakeCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Stakes tokens behind a prover (its pool's shares; slashes and rewards hit every share pro rata). */
    @Command(name = "to", mixinStandardHelpOptions = true,
            description = "Stake tokens behind a prover: its slashes and rewards reach your shares pro rata.")
    static final class To implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--prover", required = true, description = "the prover's address")
        String prover;
        @Option(names = "--amount", required = true, description = "tokens")
        String amount;

        @Override
        public Integer call() {
            String p = checked(prover);
            BigInteger a = Tokens.parse(amount);
            return withMarket(market, (chain, c, key) -> {
                c.token().approve(c.registry().getContractAddress(), a).send();
                c.registry().stakeTo(p, a).send();
                System.out.printf("staked %s tokens behind %s: your stake there is %s tokens (commission %.2f%%)%n",
                        tok(a), p, tok(c.registry().stakeOf(p, key.getAddress()).send()),
                        c.registry().commissionOf(p).send().intValue() / 100.0);
            });
        }
    }

    /** Starts unstaking (all, or an amount). */
    @Command(name = "unstake", mixinStandardHelpOptions = true,
            description = "Start unstaking from a prover's pool (withdrawable after the unbonding delay).")
    static final class Unstake implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--prover", required = true, description = "the prover's address")
        String prover;
        @Option(names = "--amount", description = "tokens (or --all)")
        String amount;
        @Option(names = "--all", description = "everything you have staked behind the prover")
        boolean all;

        @Override
        public Integer call() {
            String p = checked(prover);
            if (all == (amount != null)) throw new IllegalArgumentException("give exactly one of --amount and --all");
            return withMarket(market, (chain, c, key) -> {
                if (all) c.registry().requestUnstakeAll(p).send();
                else c.registry().requestUnstake(p, Tokens.parse(amount)).send();
                var pending = c.registry().pendingOf(p, key.getAddress()).send();
                System.out.printf("unstaking %s tokens from %s, withdrawable from %s (`procura stake withdraw`)%n",
                        tok(pending.component1()), p, Instant.ofEpochSecond(pending.component2().longValueExact()));
            });
        }
    }

    /** Withdraws what finished unstaking. */
    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraw tokens that finished unstaking.")
    static final class Withdraw implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--prover", required = true, description = "the prover's address")
        String prover;

        @Override
        public Integer call() {
            String p = checked(prover);
            return withMarket(market, (chain, c, key) -> {
                BigInteger before = c.token().balanceOf(key.getAddress()).send();
                c.registry().withdrawFrom(p).send();
                System.out.printf("withdrew %s tokens%n", tok(c.token().balanceOf(key.getAddress()).send().subtract(before)));
            });
        }
    }

    /** The staker's position behind a prover. */
    @Command(name = "position", mixinStandardHelpOptions = true, description = "Your stake, shares and unstaking behind a prover.")
    static final class Position implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--prover", required = true, description = "the prover's address")
        String prover;
        @Option(names = "--staker", description = "whose position [default: the key's]")
        String staker;

        @Override
        public Integer call() {
            String p = checked(prover);
            return withMarket(market, (chain, c, key) -> {
                String who = staker != null ? checked(staker) : key.getAddress();
                var r = c.registry();
                var pending = r.pendingOf(p, who).send();
                System.out.printf("staker       %s behind %s%n", who, p);
                System.out.printf("stake        %s tokens (%s of %s shares; pool %s tokens)%n", tok(r.stakeOf(p, who).send()),
                        r.sharesOf(p, who).send(), r.totalSharesOf(p).send(), tok(r.bondOf(p).send()));
                System.out.printf("unstakable   %s tokens now%n", tok(r.availableToUnbond(p, who).send()));
                if (pending.component1().signum() > 0) {
                    System.out.printf("unstaking    %s tokens, withdrawable from %s%n", tok(pending.component1()),
                            Instant.ofEpochSecond(pending.component2().longValueExact()));
                }
                System.out.printf("commission   %.2f%%; staker rewards accrued in the market: %s tokens "
                        + "(`procura stake distribute`)%n", r.commissionOf(p).send().intValue() / 100.0,
                        tok(c.market().stakerRewards(p).send()));
            });
        }
    }

    /** Moves a prover's accrued staker rewards into its pool. */
    @Command(name = "distribute", mixinStandardHelpOptions = true,
            description = "Move a prover's accrued staker rewards into its pool (anyone may; they vest over the unbonding delay).")
    static final class Distribute implements Callable<Integer> {
        @Mixin
        MarketConnection market;
        @Option(names = "--prover", required = true, description = "the prover's address")
        String prover;

        @Override
        public Integer call() {
            String p = checked(prover);
            return withMarket(market, (chain, c, key) -> {
                BigInteger accrued = c.market().stakerRewards(p).send();
                if (accrued.signum() == 0) {
                    System.out.println("nothing accrued for " + p + "'s stakers");
                    return;
                }
                c.market().distributeStakerRewards(p).send();
                System.out.printf("moved %s tokens of rewards into %s's pool%n", tok(accrued), p);
            });
        }
    }
}
