package io.procura.chain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/** Custom errors in revert messages are decoded from the bundled ABIs; what no ABI knows is left as it was. */
class RevertsTest {
    /** What the settlement keeper printed in a demo run, before decoding. */
    private static final String KEEPER = "Transaction 0xbea9 has failed with status: 0x0. Gas used: 35397. Revert reason: "
            + "'execution reverted: custom error 0x1cd6bd4f: "
            + "0000000000000000000000000000000000000000000000000000000000000005"
            + "000000000000000000000000df66c6ce8fe8e796372dea492f8300ebab0d8ee1'.";

    @Test
    void shouldDecodeAMarketErrorWithItsArguments() {
        assertThat(Hash.sha3String("Market_NoCommitteeShare(uint256,address)").substring(0, 10)).isEqualTo("0x1cd6bd4f");
        assertThat(Reverts.describe(KEEPER)).isEqualTo("Transaction 0xbea9 has failed with status: 0x0. Gas used: 35397. "
                + "Revert reason: 'execution reverted: Market_NoCommitteeShare(slotId=5, "
                + "prover=0xdf66c6ce8fe8e796372dea492f8300ebab0d8ee1)'.");
        assertThat(new ChainException("settling: " + KEEPER).getMessage()).contains("Market_NoCommitteeShare(slotId=5");
    }

    @Test
    void shouldDecodeRegistryAndOpenZeppelinErrorsAndErrorsWithoutArguments() {
        String selector = Hash.sha3String("Market_ZeroProofPrice()").substring(0, 10);
        assertThat(Reverts.describe("custom error " + selector)).isEqualTo("Market_ZeroProofPrice()");
        String insufficient = Hash.sha3String("ERC20InsufficientBalance(address,uint256,uint256)").substring(0, 10);
        String args = "000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
                + "0000000000000000000000000000000000000000000000000000000000000001"
                + "0000000000000000000000000000000000000000000000000000000000000002";
        assertThat(Reverts.describe("custom error " + insufficient + ": " + args)).isEqualTo(
                "ERC20InsufficientBalance(sender=0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266, balance=1, needed=2)");
        String notRegistered = Hash.sha3String("Registry_NotRegistered(address)").substring(0, 10);
        assertThat(Reverts.decode(notRegistered, "00".repeat(32))).isEqualTo(
                "Registry_NotRegistered(prover=0x0000000000000000000000000000000000000000)");
    }

    @Test
    void shouldLeaveUnknownSelectorsAndUndecodableArgumentsAlone() {
        assertThat(Reverts.describe("custom error 0xdeadbeef: 00")).isEqualTo("custom error 0xdeadbeef: 00");
        assertThat(Reverts.describe("custom error 0x1cd6bd4f: 05")).isEqualTo("custom error 0x1cd6bd4f: 05"); // short
        assertThat(Reverts.describe("nothing to decode")).isEqualTo("nothing to decode");
        assertThat(Reverts.describe(null)).isNull();
    }
}
