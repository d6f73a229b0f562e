package io.procura.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's lock (one agent per key and market) and its cursor, across runs. */
class AgentStateTest {
    @Test
    void shouldKeepTheCursorAcrossRuns(@TempDir Path dir) {
        try (AgentState s = AgentState.open(dir)) {
            assertThat(s.cursor()).isEmpty();
            s.saveCursor(BigInteger.valueOf(41), null);
            assertThat(s.lastReadHash()).isEmpty();
            s.saveCursor(BigInteger.valueOf(42), HASH);
        }
        try (AgentState s = AgentState.open(dir)) {
            assertThat(s.cursor()).contains(BigInteger.valueOf(42));
            assertThat(s.lastReadHash()).contains(HASH);
        }
    }

    private static final String HASH = "0x" + "ab".repeat(32);

    @Test
    void shouldReadACursorWrittenWithoutAHash(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cursor"), "17\n");
        try (AgentState s = AgentState.open(dir)) {
            assertThat(s.cursor()).contains(BigInteger.valueOf(17));
            assertThat(s.lastReadHash()).isEmpty();
        }
    }

    @Test
    void shouldKeepTheOwedCommitteeSharesAcrossRuns(@TempDir Path dir) throws Exception {
        try (AgentState s = AgentState.open(dir)) {
            assertThat(s.committeeOwed()).isEmpty();
            s.saveCommitteeOwed(java.util.List.of(BigInteger.valueOf(9), BigInteger.valueOf(3)));
        }
        try (AgentState s = AgentState.open(dir)) {
            assertThat(s.committeeOwed()).containsExactly(BigInteger.valueOf(3), BigInteger.valueOf(9));
            s.saveCommitteeOwed(java.util.List.of());
            assertThat(s.committeeOwed()).isEmpty();
        }
        Files.writeString(dir.resolve("committee-owed"), "3\nnine\n");
        try (AgentState s = AgentState.open(dir)) {
            assertThatThrownBy(s::committeeOwed).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("committee-owed");
        }
    }

    @Test
    void shouldRefuseASecondAgentWhileTheFirstRuns(@TempDir Path dir) {
        try (AgentState first = AgentState.open(dir)) {
            assertThatThrownBy(() -> AgentState.open(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another agent with this key and market is running");
        }
        AgentState.open(dir).close(); // released: the next run starts
    }

    @Test
    void shouldNameADamagedCursorFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cursor"), "forty-two");
        try (AgentState s = AgentState.open(dir)) {
            assertThatThrownBy(s::cursor).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(dir.resolve("cursor").toString()).hasMessageContaining("delete it");
        }
        Files.writeString(dir.resolve("cursor"), "42 0xnothash");
        try (AgentState s = AgentState.open(dir)) {
            assertThatThrownBy(s::lastReadHash).isInstanceOf(IllegalStateException.class).hasMessageContaining("delete it");
        }
    }
}
