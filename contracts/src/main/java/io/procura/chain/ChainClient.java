package io.procura.chain;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

/**
 * A JSON-RPC connection to an Ethereum node (anvil locally) with the transaction plumbing that
 * every Procura process shares: a chain-id aware signer per key, a receipt poller tuned for fast
 * local chains, and a gas provider. Built on web3j.
 *
 * <p>Thread-safe: the underlying {@link Web3j} client is; each key gets its own
 * {@link TransactionManager}, and a key must only be used by one thread at a time (nonces).
 */
public final class ChainClient implements AutoCloseable {
    /** Gas limit for every Procura transaction (units of gas); well below anvil's 30M block limit. */
    public static final BigInteger GAS_LIMIT = BigInteger.valueOf(6_000_000);

    /**
     * Gas limit for deploying a contract (units of gas): the registry's deployment also creates its
     * {@code CommitteeDesk}, about 32 KB of code deposited at 200 gas per byte (about 7M gas in all).
     */
    public static final BigInteger DEPLOY_GAS_LIMIT = BigInteger.valueOf(12_000_000);

    private final Web3j web3j;
    private final HttpService http;
    private final String rpcUrl;
    private final long chainId;
    private final long receiptPollMillis;

    private ChainClient(Web3j web3j, HttpService http, String rpcUrl, long chainId, long receiptPollMillis) {
        this.web3j = web3j;
        this.http = http;
        this.rpcUrl = rpcUrl;
        this.chainId = chainId;
        this.receiptPollMillis = receiptPollMillis;
    }

    /**
     * Connects to a node and reads its chain id.
     *
     * @param rpcUrl HTTP JSON-RPC endpoint, e.g. {@code http://127.0.0.1:8545}
     * @return a connected client
     * @throws ChainException if the node does not answer
     */
    public static ChainClient connect(String rpcUrl) {
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        // every call timed and its failures counted (RpcMetrics: procura_rpc_requests_seconds, procura_rpc_errors_total)
        HttpService http = new HttpService(rpcUrl, HttpService.getOkHttpClientBuilder()
                .addInterceptor(new RpcMetrics()).build());
        Web3j web3j = Web3j.build(http);
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            return new ChainClient(web3j, http, rpcUrl, chainId, 100);
        } catch (IOException | RuntimeException e) {
            web3j.shutdown();
            throw new ChainException("cannot reach the chain at " + rpcUrl + ": " + e.getMessage(), e);
        }
    }

    /** @return the web3j client */
    public Web3j web3j() {
        return web3j;
    }

    /** @return the JSON-RPC endpoint this client talks to */
    public String rpcUrl() {
        return rpcUrl;
    }

    /** @return the chain id (EIP-155) */
    public long chainId() {
        return chainId;
    }

    /**
     * A signer for one key: EIP-155 raw transactions, receipts polled every 100 ms for up to 60 s.
     *
     * @param credentials the sending key
     * @return a transaction manager bound to this chain
     */
    public TransactionManager transactionManager(Credentials credentials) {
        return new RawTransactionManager(web3j, credentials, chainId,
                new PollingTransactionReceiptProcessor(web3j, receiptPollMillis, 600));
    }

    /**
     * EIP-1559 gas provider: a fixed priority fee of {@link #PRIORITY_FEE} wei and a max fee of three
     * times the latest base fee plus the priority fee, {@link #GAS_LIMIT} gas. (Paying a multiple of
     * {@code eth_gasPrice} instead feeds back into the node's own suggestion and makes the price grow
     * without bound on a quiet dev chain.)
     *
     * @return a static EIP-1559 gas provider
     * @throws ChainException if the node does not answer
     */
    public ContractGasProvider gasProvider() {
        return gasProvider(GAS_LIMIT);
    }

    /**
     * As {@link #gasProvider()}, with another gas limit (for example {@link #DEPLOY_GAS_LIMIT}).
     *
     * @param gasLimit gas limit of every transaction sent with it (units of gas)
     * @return a static EIP-1559 gas provider
     * @throws ChainException if the node does not answer
     */
    public ContractGasProvider gasProvider(BigInteger gasLimit) {
        BigInteger maxFee = baseFee().multiply(BigInteger.valueOf(3)).add(PRIORITY_FEE);
        return new StaticEIP1559GasProvider(chainId, maxFee, PRIORITY_FEE, gasLimit);
    }

    /**
     * EIP-1559 fees read from the node for every transaction (web3j asks a contract's gas provider once per send):
     * the priority fee the node suggests ({@code eth_maxPriorityFeePerGas}, {@link #PRIORITY_FEE} if it has no
     * suggestion) and a max fee of three times the latest base fee plus that tip. A long-running agent or coordinator
     * built with {@link #gasProvider()} would keep the fee of its start and see its transactions refused once the
     * base fee rose above it.
     *
     * @param gasLimit gas limit of every transaction (units of gas)
     * @return a gas provider that reads the fee per transaction
     */
    public org.web3j.tx.gas.ContractEIP1559GasProvider liveGasProvider(BigInteger gasLimit) {
        return new org.web3j.tx.gas.ContractEIP1559GasProvider() {
            @Override
            public boolean isEIP1559Enabled() {
                return true;
            }

            @Override
            public long getChainId() {
                return chainId;
            }

            @Override
            public BigInteger getMaxFeePerGas(String contractFunc) {
                return baseFee().multiply(BigInteger.valueOf(3)).add(getMaxPriorityFeePerGas(contractFunc));
            }

            @Override
            public BigInteger getMaxPriorityFeePerGas(String contractFunc) {
                try {
                    var r = web3j.ethMaxPriorityFeePerGas().send();
                    return r.hasError() || r.getMaxPriorityFeePerGas() == null ? PRIORITY_FEE : r.getMaxPriorityFeePerGas();
                } catch (IOException | RuntimeException e) {
                    return PRIORITY_FEE;
                }
            }

            @Override
            public BigInteger getGasPrice(String contractFunc) {
                return getMaxFeePerGas(contractFunc);
            }

            @Override
            public BigInteger getGasPrice() {
                return getMaxFeePerGas(null);
            }

            @Override
            public BigInteger getGasLimit(String contractFunc) {
                return gasLimit;
            }

            @Override
            public BigInteger getGasLimit() {
                return gasLimit;
            }
        };
    }

    /** The latest block's base fee, wei (zero on a chain without EIP-1559). */
    private BigInteger baseFee() {
        try {
            EthBlock.Block latest = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            return latest.getBaseFeePerGas() == null ? BigInteger.ZERO : latest.getBaseFeePerGas();
        } catch (IOException e) {
            throw new ChainException("reading the base fee failed: " + e.getMessage(), e);
        }
    }

    /**
     * Takes a snapshot of a dev chain ({@code evm_snapshot}; anvil, hardhat), for tests that reorganise it.
     *
     * @return the snapshot id for {@link #revertTo}
     * @throws ChainException if the node does not support it
     */
    public String snapshot() {
        try {
            Response<?> r = new Request<>("evm_snapshot", List.of(), http, GenericResponse.class).send();
            if (r.hasError()) throw new ChainException("evm_snapshot: " + r.getError().getMessage());
            return String.valueOf(r.getResult());
        } catch (IOException e) {
            throw new ChainException("taking a snapshot failed: " + e.getMessage(), e);
        }
    }

    /**
     * Reverts a dev chain to a snapshot ({@code evm_revert}): the blocks after it are gone, and the blocks mined next
     * take their heights (a reorganisation, as seen by a client that read the old ones).
     *
     * @param snapshotId from {@link #snapshot()}
     * @throws ChainException if the node refuses
     */
    public void revertTo(String snapshotId) {
        try {
            Response<?> r = new Request<>("evm_revert", List.of(snapshotId), http, GenericResponse.class).send();
            if (r.hasError()) throw new ChainException("evm_revert: " + r.getError().getMessage());
        } catch (IOException e) {
            throw new ChainException("reverting to snapshot " + snapshotId + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the base fee of the next block (anvil only: {@code anvil_setNextBlockBaseFeePerGas}); tests use it to
     * make fees rise under a running agent.
     *
     * @param wei the next block's base fee per gas
     * @throws ChainException if the node does not support it
     */
    public void setNextBaseFee(BigInteger wei) {
        try {
            Response<?> r = new Request<>("anvil_setNextBlockBaseFeePerGas", List.of(Numeric.encodeQuantity(wei)), http,
                    GenericResponse.class).send();
            if (r.hasError()) throw new ChainException("anvil_setNextBlockBaseFeePerGas: " + r.getError().getMessage());
        } catch (IOException e) {
            throw new ChainException("setting the next base fee failed: " + e.getMessage(), e);
        }
    }

    /** Priority fee (tip) per gas, wei: 1 gwei. */
    public static final BigInteger PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);

    /** @return the latest block number */
    public BigInteger blockNumber() {
        try {
            return web3j.ethBlockNumber().send().getBlockNumber();
        } catch (IOException e) {
            throw new ChainException("eth_blockNumber failed: " + e.getMessage(), e);
        }
    }

    /**
     * The logs a filter matches ({@code eth_getLogs}), in the node's order.
     *
     * @param filter    the block range, addresses and topics
     * @param whatFor   what the logs are read for, for the error message (e.g. "blocks 10..20")
     * @return the logs
     * @throws ChainException if the call fails or the node answers with an error
     */
    public List<Log> logs(EthFilter filter, String whatFor) {
        try {
            EthLog reply = web3j.ethGetLogs(filter).send();
            if (reply.hasError()) throw new ChainException("eth_getLogs (" + whatFor + "): " + reply.getError().getMessage());
            List<Log> out = new java.util.ArrayList<>();
            for (EthLog.LogResult<?> r : reply.getLogs()) out.add((Log) r.get());
            return out;
        } catch (IOException e) {
            throw new ChainException("eth_getLogs (" + whatFor + ") failed: " + e.getMessage(), e);
        }
    }

    /**
     * @param number a block number
     * @return that block's hash (0x hex), or null when the chain has no such block (yet, or any more: a reorganisation)
     * @throws ChainException if the node does not answer
     */
    public String blockHash(BigInteger number) {
        try {
            EthBlock.Block block = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(number), false).send().getBlock();
            return block == null ? null : block.getHash();
        } catch (IOException e) {
            throw new ChainException("reading block " + number + " failed: " + e.getMessage(), e);
        }
    }

    /** @return the latest block's timestamp, unix seconds */
    public long latestTimestamp() {
        try {
            EthBlock.Block block = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            return block.getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new ChainException("eth_getBlockByNumber failed: " + e.getMessage(), e);
        }
    }

    /**
     * Token balance helper for ether: the balance of an account in wei.
     *
     * @param address 0x-prefixed account
     * @return balance in wei
     */
    public BigInteger etherBalance(String address) {
        try {
            return web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
        } catch (IOException e) {
            throw new ChainException("eth_getBalance " + address + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Sends ether from one key to an address and waits for the receipt.
     *
     * @param from   the paying key
     * @param to     the recipient
     * @param ether  amount in ether (1 ether = 1e18 wei)
     * @return the receipt
     * @throws ChainException if the transfer fails
     */
    public TransactionReceipt sendEther(Credentials from, String to, java.math.BigDecimal ether) {
        try {
            return new Transfer(web3j, transactionManager(from)).sendFunds(to, ether, Convert.Unit.ETHER).send();
        } catch (Exception e) {
            throw new ChainException("sending " + ether + " ETH to " + to + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Deploys a contract from its creation code (for a contract the project has no wrapper for, such as a Groth16
     * verifier compiled for a circuit's own keys), with {@link #DEPLOY_GAS_LIMIT} and the EIP-1559 fees of
     * {@link #gasProvider()}.
     *
     * @param from     the paying key
     * @param initCode the creation code (constructor arguments appended, if any)
     * @param what     what is deployed, for messages
     * @return the new contract's address (0x-prefixed)
     * @throws ChainException if the transaction fails, reverts or leaves no code at the address
     */
    public String deployContract(Credentials from, byte[] initCode, String what) {
        try {
            StaticEIP1559GasProvider gas = (StaticEIP1559GasProvider) gasProvider(DEPLOY_GAS_LIMIT);
            TransactionManager tm = transactionManager(from);
            org.web3j.protocol.core.methods.response.EthSendTransaction sent = tm.sendEIP1559Transaction(chainId,
                    gas.getMaxPriorityFeePerGas(""), gas.getMaxFeePerGas(""), DEPLOY_GAS_LIMIT, "",
                    org.web3j.utils.Numeric.toHexString(initCode), BigInteger.ZERO, true);
            if (sent.hasError()) throw new ChainException("deploying " + what + " failed: " + sent.getError().getMessage());
            TransactionReceipt r = new PollingTransactionReceiptProcessor(web3j, receiptPollMillis, 600)
                    .waitForTransactionReceipt(sent.getTransactionHash());
            if (!r.isStatusOK() || r.getContractAddress() == null) {
                throw new ChainException("deploying " + what + " reverted (transaction " + r.getTransactionHash() + ")");
            }
            String code = web3j.ethGetCode(r.getContractAddress(), DefaultBlockParameterName.LATEST).send().getCode();
            if (code == null || code.length() <= 2) {
                throw new ChainException("deploying " + what + " left no code at " + r.getContractAddress());
            }
            return r.getContractAddress();
        } catch (ChainException e) {
            throw e;
        } catch (Exception e) {
            throw new ChainException("deploying " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Advances the chain clock (anvil / hardhat only: {@code evm_increaseTime} then {@code evm_mine}).
     * Used by the demo to skip a new circuit's terms notice and the rest of a prove window once every agent
     * has acted.
     *
     * @param seconds seconds to add to the next block's timestamp
     * @throws ChainException if the node does not support it
     */
    public void increaseTime(long seconds) {
        try {
            Response<?> r1 = new Request<>("evm_increaseTime", List.of(seconds), http, GenericResponse.class).send();
            if (r1.hasError()) throw new ChainException("evm_increaseTime: " + r1.getError().getMessage());
            Response<?> r2 = new Request<>("evm_mine", List.of(), http, GenericResponse.class).send();
            if (r2.hasError()) throw new ChainException("evm_mine: " + r2.getError().getMessage());
        } catch (IOException e) {
            throw new ChainException("advancing the chain clock failed: " + e.getMessage(), e);
        }
    }

    /**
     * Mines blocks at once (anvil: {@code anvil_mine}; other development nodes: one {@code evm_mine} per
     * block). Used on a local chain that mines only on transactions, so that the block whose hash draws a
     * slot's designate exists ({@code ProcurementMarket.draw}).
     *
     * @param blocks number of empty blocks to mine, {@code >= 0}
     * @throws IllegalArgumentException if {@code blocks < 0}
     * @throws ChainException if the node supports neither method
     */
    public void mine(long blocks) {
        if (blocks < 0) throw new IllegalArgumentException("blocks must be >= 0, got " + blocks);
        if (blocks == 0) return;
        try {
            Response<?> r = new Request<>("anvil_mine", List.of(Numeric.encodeQuantity(BigInteger.valueOf(blocks))), http,
                    GenericResponse.class).send();
            if (!r.hasError()) return;
            for (long i = 0; i < blocks; i++) {
                Response<?> one = new Request<>("evm_mine", List.of(), http, GenericResponse.class).send();
                if (one.hasError()) throw new ChainException("evm_mine: " + one.getError().getMessage());
            }
        } catch (IOException e) {
            throw new ChainException("mining " + blocks + " blocks failed: " + e.getMessage(), e);
        }
    }

    /**
     * @return the node's {@code web3_clientVersion}, e.g. {@code anvil/v1.2.3}
     * @throws ChainException if the node does not answer
     */
    public String clientVersion() {
        try {
            return web3j.web3ClientVersion().send().getWeb3ClientVersion();
        } catch (IOException e) {
            throw new ChainException("web3_clientVersion failed: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the node is a local development node whose clock and blocks can be driven
     * ({@link #increaseTime}, {@link #mine}): anvil or Hardhat Network, by {@link #clientVersion()}.
     *
     * @return true for anvil and Hardhat Network
     */
    public boolean isDevNode() {
        String v = String.valueOf(clientVersion()).toLowerCase(java.util.Locale.ROOT);
        return v.startsWith("anvil") || v.startsWith("hardhatnetwork");
    }

    /** JSON-RPC response whose result we do not read. */
    public static final class GenericResponse extends Response<Object> {}

    @Override
    public void close() {
        web3j.shutdown();
    }
}
