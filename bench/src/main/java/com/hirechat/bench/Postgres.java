package com.hirechat.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/** The shared PostgreSQL server: fresh databases per system, and the history checks. */
final class Postgres {

    private final Setup setup;

    Postgres(Setup setup) {
        this.setup = setup;
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(setup.jdbcUrl(database), "postgres", "");
    }

    /** Drops and creates a database so every system starts from empty tables. */
    void recreate(String database) throws SQLException {
        try (var connection = connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + database);
        }
    }

    /** How often each clientMessageId with this prefix is stored in {@code table}, and when the query was sent. */
    StoredCounts storedCounts(String database, String table, String prefix) throws SQLException {
        var counts = new HashMap<String, Integer>();
        try (var connection = connect(database);
             var statement = connection.prepareStatement("SELECT client_message_id, count(*) FROM " + table
                     + " WHERE client_message_id LIKE ? GROUP BY client_message_id")) {
            statement.setString(1, prefix + "%");
            var sentAt = System.nanoTime();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
            return new StoredCounts(counts, sentAt);
        }
    }

    /** Rows per clientMessageId as a query sent at {@code sentAtNanos} (nanoTime) found them. */
    record StoredCounts(Map<String, Integer> counts, long sentAtNanos) {
    }

    String setting(String name) throws SQLException {
        try (var connection = connect("postgres"); var statement = connection.createStatement();
             var rows = statement.executeQuery("SHOW " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
