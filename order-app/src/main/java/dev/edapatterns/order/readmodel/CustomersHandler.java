package dev.edapatterns.order.readmodel;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.projection.ProjectionHandler;
import dev.edapatterns.eventkit.projection.UnreadableRecord;

/**
 * {@code import.contacts} -> {@code customers_v<n>}: a contact upserts its row, a tombstone deletes it. A batch
 * collapses to the last change per email (the topic is keyed by email, so that is the current state) and writes as
 * two JDBC batches, {@code INSERT ... ON CONFLICT DO UPDATE} and {@code DELETE}.
 */
final class CustomersHandler implements ProjectionHandler<CustomersHandler.Change> {

    /** The contact now, or null: deleted. */
    record Change(String email, Contact contact) {
    }

    private final String upsert;
    private final String delete;

    CustomersHandler(String table) {
        this.upsert = "INSERT INTO " + table + " (email, name, country, phone, time_zone, import_id, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (email) DO UPDATE SET name = EXCLUDED.name,"
                + " country = EXCLUDED.country, phone = EXCLUDED.phone, time_zone = EXCLUDED.time_zone,"
                + " import_id = EXCLUDED.import_id, updated_at = EXCLUDED.updated_at";
        this.delete = "DELETE FROM " + table + " WHERE email = ?";
    }

    @Override
    public Change read(ConsumerRecord<String, byte[]> record) throws UnreadableRecord {
        if (record.key() == null || record.key().isBlank()) {
            throw new UnreadableRecord("a contact without a key (the normalised email)");
        }
        String email = Contact.normalizeEmail(record.key());
        if (record.value() == null) {
            return new Change(email, null);
        }
        try {
            return new Change(email, Json.mapper().readValue(record.value(), Contact.class));
        } catch (IOException e) {
            throw new UnreadableRecord("not a Contact: " + e.getMessage(), e);
        }
    }

    @Override
    public void apply(Connection c, List<Change> changes) throws SQLException {
        Map<String, Contact> last = new LinkedHashMap<>();
        changes.forEach(ch -> last.put(ch.email(), ch.contact()));
        try (PreparedStatement up = c.prepareStatement(upsert); PreparedStatement del = c.prepareStatement(delete)) {
            int ups = 0;
            int dels = 0;
            for (Map.Entry<String, Contact> e : last.entrySet()) {
                Contact contact = e.getValue();
                if (contact == null) {
                    del.setString(1, e.getKey());
                    del.addBatch();
                    dels++;
                    continue;
                }
                up.setString(1, e.getKey());
                up.setString(2, contact.name());
                up.setString(3, contact.country());
                up.setString(4, contact.phone());
                up.setString(5, contact.timeZone());
                up.setString(6, contact.importId());
                if (contact.updatedAt() == null) {
                    up.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    up.setTimestamp(7, Timestamp.from(contact.updatedAt()));
                }
                up.addBatch();
                ups++;
            }
            if (ups > 0) {
                up.executeBatch();
            }
            if (dels > 0) {
                del.executeBatch();
            }
        }
    }
}
