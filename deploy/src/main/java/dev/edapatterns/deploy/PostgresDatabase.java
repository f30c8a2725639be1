package dev.edapatterns.deploy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Where one database of a {@link PostgresServer} is and how to log in: what an app's {@code quarkus.datasource.*}
 * (or {@code QUARKUS_DATASOURCE_JDBC_URL}, {@code _USERNAME}, {@code _PASSWORD}) needs.
 */
public record PostgresDatabase(String jdbcUrl, String username, String password) {

    /** As Quarkus config of the default datasource (a test resource's answer, {@code -D} options). */
    public Map<String, String> quarkusConfig() {
        return Map.of("quarkus.datasource.jdbc.url", jdbcUrl, "quarkus.datasource.username", username,
                "quarkus.datasource.password", password);
    }

    /** The same as the environment of an app process (what deploy/local/run.sh and Kubernetes give order-app). */
    public Map<String, String> environment() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl, "QUARKUS_DATASOURCE_USERNAME", username,
                "QUARKUS_DATASOURCE_PASSWORD", password);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    @Override
    public String toString() {
        return jdbcUrl + " (user " + username + ")"; // never the password: this lands in logs
    }
}
