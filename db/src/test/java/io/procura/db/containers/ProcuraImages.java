package io.procura.db.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * Procura's own container images in tests (Testcontainers 1.21): they are built from {@code docker/} by
 * {@code docker/build.sh} (a debootstrap base, then ordinary Dockerfiles), never pulled, since no image registry is
 * reachable from the project's machines. The Maven build sets {@code TESTCONTAINERS_RYUK_DISABLED},
 * {@code TESTCONTAINERS_HOST_OVERRIDE} and {@code TESTCONTAINERS_CHECKS_DISABLE} (each of those would otherwise pull
 * a helper image), so every test closes its containers itself. Test classes that use these carry
 * {@link RequiresDocker}.
 */
public final class ProcuraImages {
    /** The PostgreSQL image of {@code docker/postgres} (user, password and database {@value #PG_USER}). */
    public static final String POSTGRES = "procura/postgres:15";
    /** User, password and database name the tests give the PostgreSQL image. */
    public static final String PG_USER = "procura";

    private ProcuraImages() {
    }

    /** The repository root: the parent of the Maven module a test runs in. */
    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker/build.sh"))) return p;
        }
        throw new IllegalStateException("docker/build.sh not found above " + here);
    }

    /**
     * Builds images with {@code docker/build.sh} (the base is kept by its tag, the others by Docker's layer cache, so a
     * second call takes seconds). The {@code procura} image packs {@code app/target} as the Maven build left it.
     *
     * @param images what to build: {@code base}, {@code postgres}, {@code anvil}, {@code procura} or {@code all}
     * @throws IllegalStateException if the build fails, with the end of its log (kept in {@code target/docker-build.log})
     */
    public static void build(String... images) {
        Path root = root();
        Path log = Path.of("target", "docker-build.log").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("docker/build.sh").toString()));
        cmd.addAll(List.of(images));
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("PROCURA_SKIP_PROJECT_BUILD", "1");
            Process p = pb.start();
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("docker/build.sh " + String.join(" ", images) + " took over 20 min; log " + log);
            }
            if (p.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new IllegalStateException("docker/build.sh " + String.join(" ", images) + " failed (exit "
                        + p.exitValue() + "); log " + log + ":\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run docker/build.sh: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building images", e);
        }
    }

    /**
     * A PostgreSQL container of {@link #POSTGRES} (built first if needed), not yet started; ready once its
     * health check (pg_isready) passes.
     */
    @SuppressWarnings("resource")
    public static GenericContainer<?> postgres() {
        build("postgres");
        return new GenericContainer<>(DockerImageName.parse(POSTGRES)).withExposedPorts(5432)
                .withEnv("POSTGRES_USER", PG_USER).withEnv("POSTGRES_PASSWORD", PG_USER).withEnv("POSTGRES_DB", PG_USER)
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(java.time.Duration.ofMinutes(2)));
    }

    /** The JDBC URL of a started {@link #postgres()} container, credentials included. */
    public static String jdbcUrl(GenericContainer<?> postgres) {
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432) + "/" + PG_USER
                + "?user=" + PG_USER + "&password=" + PG_USER;
    }
}
