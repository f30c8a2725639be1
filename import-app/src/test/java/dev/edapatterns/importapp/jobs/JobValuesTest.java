package dev.edapatterns.importapp.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.Json;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.ContactRow;
import dev.edapatterns.contracts.imports.ImportJob;

/** A job assembled from rows serialized once is exactly the job the contract's serializer writes. */
@Tag("unit")
class JobValuesTest {

    private static final Instant ACCEPTED_AT = Instant.parse("2026-12-07T05:30:00.123456Z");

    @Test
    void aJobWrappedAroundItsSerializedRowsIsByteForByteTheSerializedJob() throws Exception {
        List<ContactRow> rows = List.of(new ContactRow(2, "a@example.com", "Ann \"Quoted\" Ö", "FR", "+33 1"),
                new ContactRow(4, "b@example.com", null, null, null));
        ImportJob job = new ImportJob("imp-1", "chan-1", 3, 7, ACCEPTED_AT, rows);

        byte[] value = new JobValues("imp-1", "chan-1", 7, ACCEPTED_AT).value(3, JobValues.rows(rows));

        assertArrayEquals(Json.mapper().writeValueAsBytes(job), value);
        assertEquals(job, Topics.IMPORT_JOBS.valueDeserializer().deserialize(Topics.IMPORT_JOBS.name(), value));
    }

    @Test
    void aJobWithoutRowsStillReadsBack() {
        byte[] value = new JobValues("imp-2", "chan-2", 1, ACCEPTED_AT).value(0, JobValues.rows(List.of()));

        assertEquals(new ImportJob("imp-2", "chan-2", 0, 1, ACCEPTED_AT, List.of()),
                Topics.IMPORT_JOBS.valueDeserializer().deserialize(Topics.IMPORT_JOBS.name(), value));
    }
}
