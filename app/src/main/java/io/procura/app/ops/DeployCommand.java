package io.procura.app.ops;

import io.procura.app.CircuitCommand;
import io.procura.app.Deployer;
import io.procura.app.MechanismCommand;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.MarketContracts;
import io.procura.chain.Tokens;
import io.procura.mechanism.FailurePolicy;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code procura deploy}: deploys a marketplace (token, registry, market, digits verifier) and writes its addresses. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy DemoToken, ProverRegistry, ProcurementMarket, the digits Groth16 verifier and its payload checker; "
                + "write their addresses as JSON.")
public final class DeployCommand implements Callable<Integer> {
    @Option(names = "--rpc-url", required = true, description = "JSON-RPC endpoint of the chain")
    String rpcUrl;
    @Mixin
    KeyOptions key;
    @Option(names = "--min-bond", defaultValue = "500", description = "minimum bond for eligibility, tokens [default: ${DEFAULT-VALUE}]")
    String minBond;
    @Option(names = "--slot-bond", defaultValue = "200", description = "bond locked from the designate per slot, tokens [default: ${DEFAULT-VALUE}]")
    String slotBond;
    @Option(names = "--unbonding-delay", defaultValue = "3600", description = "seconds from unbond request to withdrawal [default: ${DEFAULT-VALUE}]")
    long unbondingDelay;
    @Option(names = "--policy", defaultValue = "compensate-committee", description = "paper | compensate-committee [default: ${DEFAULT-VALUE}]")
    String policy;
    @Option(names = "--correlated-stake", defaultValue = "0",
            description = "correlated slashing (MECHANISM.md §6): tokens of the committee pool each slot locks and a failed "
                    + "slot loses; also the slice each prover must stake into the pool; 0 = off [default: ${DEFAULT-VALUE}]")
    String correlatedStake;
    @Option(names = "--requester", split = ",",
            description = "accounts granted REQUESTER_ROLE (needed to open slots when --correlated-stake > 0)")
    java.util.List<String> requesters = new java.util.ArrayList<>();
    @Option(names = "--out", defaultValue = "deployment.json", description = "where to write the addresses [default: ${DEFAULT-VALUE}]")
    Path out;

    @Override
    public Integer call() throws Exception {
        try (ChainClient chain = ChainClient.connect(rpcUrl)) {
            BigInteger modelCommitment = ProvingRuntime.nativeRuntime()
                    .commitModel(DigitsModel.load(CircuitCommand.home().resolve("data/digits-model.json")));
            Deployment d = Deployer.deploy(chain, key.credentials(), new Deployer.Params(Tokens.parse(minBond), unbondingDelay,
                    Tokens.parse(slotBond), MechanismCommand.parsePolicy(policy) == FailurePolicy.PAPER ? 0 : 1,
                    modelCommitment, Tokens.parse(correlatedStake)));
            if (!requesters.isEmpty()) {
                MarketContracts asOwner = MarketContracts.load(chain, d, key.credentials());
                byte[] role = asOwner.market().REQUESTER_ROLE().send();
                for (String r : requesters) asOwner.market().grantRole(role, r).send();
                System.out.printf("granted REQUESTER_ROLE to %s%n", String.join(", ", requesters));
            }
            DeploymentFile.write(d, out);
            System.out.printf("deployed on chain %d: market %s, registry %s, token %s, verifier %s; addresses in %s%n",
                    d.chainId(), d.market(), d.registry(), d.token(), d.digitsVerifier(), out);
        }
        return 0;
    }
}
