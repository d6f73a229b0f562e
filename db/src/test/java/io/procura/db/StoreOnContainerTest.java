package io.procura.db;

import io.procura.db.containers.ProcuraImages;
import io.procura.db.containers.RequiresDocker;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link StoreTest} against PostgreSQL 15 from Debian's packages in a container of {@code docker/postgres}
 * (Testcontainers), instead of the embedded server: the migrations and every repository behave the same on the
 * server an operator runs. Skipped, saying why, where no Docker engine answers.
 */
@RequiresDocker
class StoreOnContainerTest extends StoreTest {
    private GenericContainer<?> postgres;

    @Override
    Database open() {
        postgres = ProcuraImages.postgres();
        postgres.start();
        return Database.external(ProcuraImages.jdbcUrl(postgres), null, null);
    }

    @Override
    void closed() {
        if (postgres != null) postgres.stop();
    }

    /** The tests above really ran on the container's server, not on an embedded one. */
    @Test
    void theServerIsTheContainersPostgreSql15() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version(), current_user, current_database()")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith("PostgreSQL 15.").contains("Debian");
            assertThat(rs.getString(2)).isEqualTo(ProcuraImages.PG_USER);
            assertThat(rs.getString(3)).isEqualTo(ProcuraImages.PG_USER);
        }
        assertThat(db.jdbcUrl()).contains(":" + postgres.getMappedPort(5432) + "/");
    }
}
