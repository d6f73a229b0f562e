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
            s.saveCursor(BigInteger.valueOf(41));
            s.saveCursor(BigInteger.valueOf(42));
        }
        try (AgentState s = AgentState.open(dir)) {
            assertThat(s.cursor()).contains(BigInteger.valueOf(42));
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
    }
}
