package io.procura.app.ops;

import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.Tokens;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code procura fund}: mints demo tokens to an account (DemoToken owner only) and sends it ether for gas. */
@Command(name = "fund", mixinStandardHelpOptions = true,
        description = "Mint DemoToken to an account and send it ether for gas (the key must own the DemoToken).")
public final class FundCommand implements Callable<Integer> {
    @Mixin
    MarketConnection market;
    @Option(names = "--to", required = true, description = "the account to fund (0x address)")
    String to;
    @Option(names = "--tokens", defaultValue = "1000", description = "tokens to mint [default: ${DEFAULT-VALUE}]")
    String tokens;
    @Option(names = "--ether", defaultValue = "1", description = "ether to send for gas [default: ${DEFAULT-VALUE}]")
    BigDecimal ether;

    @Override
    public Integer call() throws Exception {
        if (!org.web3j.crypto.WalletUtils.isValidAddress(to)) throw new IllegalArgumentException("not an address: " + to);
        Deployment d = market.deployment();
        try (ChainClient chain = ChainClient.connect(market.rpcUrl)) {
            var owner = market.key.credentials();
            if (ether.signum() > 0) chain.sendEther(owner, to, ether);
            MarketContracts.load(chain, d, owner).token().mint(to, Tokens.parse(tokens)).send();
            System.out.printf("funded %s with %s tokens and %s ether%n", to, tokens, ether.toPlainString());
        }
        return 0;
    }
}
