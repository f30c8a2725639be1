package dev.edapatterns.deploy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where one database of a {@link PostgresServer} is and how to log in: what an app's {@code quarkus.datasource.*}
 * (or {@code QUARKUS_DATASOURCE_JDBC_URL}, {@code _USERNAME}, {@code _PASSWORD}) needs.
 */
public record PostgresDatabase(String jdbcUrl, String username, String password) {

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    @Override
    public String toString() {
        return jdbcUrl + " (user " + username + ")"; // never the password: this lands in logs
    }
}
