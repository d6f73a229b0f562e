// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {TestBase} from "../utils/TestBase.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {DemoToken} from "../../src/DemoToken.sol";

contract DemoTokenTest is TestBase {
    address internal owner = address(0xA11CE);
    DemoToken internal token;

    function setUp() public {
        token = new DemoToken("Procura Demo", "PDT", owner);
    }

    function test_metadata() public view {
        vm.assertEq(uint256(token.decimals()), 18, "decimals");
        vm.assertEq(keccak256(bytes(token.symbol())), keccak256("PDT"), "symbol");
        vm.assertEq(token.owner(), owner, "owner");
    }

    function test_mint_byOwner() public {
        vm.prank(owner);
        token.mint(address(0xB0B), 5e18);
        vm.assertEq(token.balanceOf(address(0xB0B)), 5e18, "minted");
        vm.assertEq(token.totalSupply(), 5e18, "supply");
    }

    function test_mint_revertsForOthers() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, address(0xB0B)));
        vm.prank(address(0xB0B));
        token.mint(address(0xB0B), 1);
    }

    function test_constructor_revertsOnZeroOwner() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new DemoToken("x", "y", address(0));
    }
}
