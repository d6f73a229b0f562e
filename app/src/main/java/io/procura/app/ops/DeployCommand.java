package io.procura.app.ops;

import io.procura.app.CircuitCommand;
import io.procura.app.Deployer;
import io.procura.app.MechanismCommand;
import io.procura.chain.ChainClient;
import io.procura.chain.Deployment;
import io.procura.chain.Tokens;
import io.procura.mechanism.FailurePolicy;
import io.procura.runtime.DigitsModel;
import io.procura.runtime.ProvingRuntime;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code procura deploy}: deploys a marketplace (token, registry, market, digits verifier and payload
 * checker, the digits circuit with its terms) and writes its addresses. The circuit takes slots after the
 * terms notice (the unbonding delay): on a local anvil the command advances the chain clock past it, on
 * another chain it prints from when.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy DemoToken, ProverRegistry, ProcurementMarket, the digits Groth16 verifier and its payload checker; "
                + "register the digits circuit with its terms; write the addresses as JSON.")
public final class DeployCommand implements Callable<Integer> {
    @Option(names = "--rpc-url", required = true, description = "JSON-RPC endpoint of the chain")
    String rpcUrl;
    @Mixin
    KeyOptions key;
    @Option(names = "--min-bond", defaultValue = "500", description = "minimum bond for eligibility, tokens [default: ${DEFAULT-VALUE}]")
    String minBond;
    @Option(names = "--slot-bond", defaultValue = "200", description = "bond locked from the designate per slot, tokens [default: ${DEFAULT-VALUE}]")
    String slotBond;
    @Option(names = "--unbonding-delay", defaultValue = "3600",
            description = "seconds from unbond request to withdrawal; also the notice before circuit terms take effect "
                    + "[default: ${DEFAULT-VALUE}]")
    long unbondingDelay;
    @Option(names = "--policy", defaultValue = "compensate-committee", description = "paper | compensate-committee [default: ${DEFAULT-VALUE}]")
    String policy;
    @Option(names = "--correlated-stake", defaultValue = "0",
            description = "correlated slashing (docs/MECHANISM.md §6): tokens of the committee pool each slot locks and a failed "
                    + "slot loses; also the slice each prover must stake into the pool; 0 = off [default: ${DEFAULT-VALUE}]")
    String correlatedStake;
    @Option(names = "--draw-delay", defaultValue = "5",
            description = "blocks from openSlot to the block whose hash draws the designate, 1..255 [default: ${DEFAULT-VALUE}]")
    int drawDelay;
    @Option(names = "--jail-cooldown", defaultValue = "86400",
            description = "seconds a slashed prover stays jailed at least [default: ${DEFAULT-VALUE}]")
    long jailCooldown;
    @Option(names = "--min-proof-price", defaultValue = "10",
            description = "digits circuit: least proof price a slot may offer, tokens [default: ${DEFAULT-VALUE}]")
    String minProofPrice;
    @Option(names = "--min-prove-window", defaultValue = "30",
            description = "digits circuit: shortest prove window a slot may ask for, seconds [default: ${DEFAULT-VALUE}]")
    long minProveWindow;
    @Option(names = "--max-prove-window", defaultValue = "600",
            description = "digits circuit: longest prove window a slot may ask for, seconds, below the unbonding delay "
                    + "[default: ${DEFAULT-VALUE}]")
    long maxProveWindow;
    @Option(names = "--out", description = "where to write the addresses [default: $XDG_DATA_HOME or ~/.local/share, then "
            + "procura/deployments/<chain id>.json, where the other commands look when --deployment is not given]")
    Path out;

    @Override
    public Integer call() throws Exception {
        Deployer.Params params = new Deployer.Params(Tokens.parse(minBond), unbondingDelay, Tokens.parse(slotBond),
                MechanismCommand.parsePolicy(policy) == FailurePolicy.PAPER ? 0 : 1, BigInteger.ZERO, Tokens.parse(correlatedStake),
                drawDelay, jailCooldown, new Deployer.CircuitTerms(Tokens.parse(minProofPrice), minProveWindow, maxProveWindow));
        try (ChainClient chain = ChainClient.connect(rpcUrl)) {
            BigInteger modelCommitment = ProvingRuntime.nativeRuntime()
                    .commitModel(DigitsModel.load(CircuitCommand.home().resolve("data/digits-model.json")));
            params = params.withModelCommitment(modelCommitment); // validated above, before connecting
            Path target = out != null ? out : DataDirs.deployment(chain.chainId());
            DataDirs.checkWritable(target, "the deployment file"); // before deploying: an unwritable path must not strand a deployment
            Deployment d = Deployer.deploy(chain, key.credentials(), params);
            DeploymentFile.write(d, target);
            System.out.printf("deployed on chain %d: market %s, registry %s, token %s, verifier %s; addresses in %s%n",
                    d.chainId(), d.market(), d.registry(), d.token(), d.digitsVerifier(), target);
            System.out.printf("digits circuit %s: proof price >= %s tokens, prove window %d..%d s, draw delay %d blocks%n",
                    d.digitsCircuitId(), minProofPrice, minProveWindow, maxProveWindow, drawDelay);
            new java.util.TreeMap<>(d.circuits()).forEach((name, id) ->
                    System.out.printf("%s circuit %s: the same terms%n", name, id));
            if (chain.isDevNode()) {
                long skipped = Deployer.skipTermsNotice(chain, d);
                System.out.printf("development chain: advanced its clock %d s past the terms notice; the circuits take slots now%n",
                        skipped);
            } else {
                long from = Deployer.circuitActiveFrom(chain, d);
                System.out.printf("the circuits take slots from %s (unix %d), after the terms notice of %d s; "
                        + "provers opt in before%n", Instant.ofEpochSecond(from), from, unbondingDelay);
            }
        }
        return 0;
    }
}
