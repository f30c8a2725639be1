package dev.edapatterns.eventkit.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a projection makes of its records: {@link #read} turns one record into a row (or a deletion) without touching
 * the database, {@link #apply} writes a batch's rows in the projection's open transaction. The projection commits
 * that transaction together with the consumed offsets, so a handler never commits, rolls back or opens a connection.
 * {@link #read} runs on the projection's poll thread while {@link #apply} of the previous batch may be running on its
 * writer thread: a handler keeps no state shared between the two.
 *
 * @param <R> the handler's own row type (e.g. an upsert or a delete of one key)
 */
public interface ProjectionHandler<R> {

    /**
     * The row this record stands for (a tombstone has a null value). Throws {@link UnreadableRecord} for a record that
     * no retry can fix: it goes to the dead-letter topic.
     */
    R read(ConsumerRecord<String, byte[]> record) throws UnreadableRecord;

    /** Writes the batch's rows, in offset order per partition, on the projection's transaction. */
    void apply(Connection connection, List<R> rows) throws SQLException;
}
