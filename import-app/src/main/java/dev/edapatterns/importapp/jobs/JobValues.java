package dev.edapatterns.importapp.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.ImportJob;

/**
 * The {@code import.jobs} values of one upload, each job's rows serialized ONCE: the first pass over the CSV writes
 * a job's rows as a JSON array ({@link #rows}), the publishing pass wraps them in the job's envelope
 * ({@link #value}) without parsing or serializing any row again. The envelope is the contract's own serialization
 * of an {@link ImportJob} with no rows, so a job is byte for byte what {@code Json.mapper()} writes for it.
 */
final class JobValues {

    private static final ObjectWriter ROWS = Json.mapper().writerFor(new TypeReference<List<ContactRow>>() { });
    /** How the mapper ends an ImportJob whose rows are empty: rows is the record's last component. */
    private static final byte[] EMPTY_ROWS_END = "[]}".getBytes(StandardCharsets.UTF_8);

    private final String importId;
    private final String channelId;
    private final int jobsTotal;
    private final Instant acceptedAt;

    JobValues(String importId, String channelId, int jobsTotal, Instant acceptedAt) {
        this.importId = importId;
        this.channelId = channelId;
        this.jobsTotal = jobsTotal;
        this.acceptedAt = acceptedAt;
    }

    /** A job's rows as the JSON array its value will hold. */
    static byte[] rows(List<ContactRow> rows) {
        try {
            return ROWS.writeValueAsBytes(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of job {@code jobIndex}, whose rows {@link #rows} serialized. */
    byte[] value(int jobIndex, byte[] rows) {
        byte[] envelope;
        try {
            envelope = Json.mapper().writeValueAsBytes(new ImportJob(importId, channelId, jobIndex, jobsTotal, acceptedAt, List.of()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int head = envelope.length - EMPTY_ROWS_END.length;
        if (head < 0 || !Arrays.equals(envelope, head, envelope.length, EMPTY_ROWS_END, 0, EMPTY_ROWS_END.length)) {
            throw new IllegalStateException("an ImportJob no longer serializes with its rows last");
        }
        byte[] value = Arrays.copyOf(envelope, head + rows.length + 1);
        System.arraycopy(rows, 0, value, head, rows.length);
        value[value.length - 1] = '}';
        return value;
    }
}
