package io.procura.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoundryToolsTest {

    /** The module's build ran npm ci before the tests, so the binaries exist next to this module. */
    private static final Path REPO_ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void shouldResolveInstalledForgeAndAnvilThatRun() throws Exception {
        for (Path binary : new Path[] {FoundryTools.forgeBinary(REPO_ROOT), FoundryTools.anvilBinary(REPO_ROOT)}) {
            assertThat(binary).isRegularFile().isExecutable();
            Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).isZero();
            assertThat(out).contains("Version: 1.7.1");
        }
    }

    @Test
    void shouldExplainHowToInstallWhenNodeModulesIsMissing(@TempDir Path emptyRoot) throws Exception {
        Files.createDirectories(emptyRoot.resolve("contracts"));
        assertThatThrownBy(() -> FoundryTools.anvilBinary(emptyRoot))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("run ./procura or ./mvnw install first");
    }
}
