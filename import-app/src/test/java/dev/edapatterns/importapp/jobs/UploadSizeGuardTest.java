package dev.edapatterns.importapp.jobs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class UploadSizeGuardTest {

    private static final long MAX = 1000;

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() {
        assertFalse(UploadSizeGuard.declaredTooLarge("1000", "text/csv", MAX));
        assertTrue(UploadSizeGuard.declaredTooLarge("1001", "text/csv", MAX));
        assertTrue(UploadSizeGuard.declaredTooLarge("00001001", "text/csv", MAX));
        assertFalse(UploadSizeGuard.declaredTooLarge("0000", "text/csv", MAX));
    }

    @Test
    void aFormMayCarryItsBoundariesAndFieldsAroundAFileOfTheLimit() {
        long form = MAX + UploadSizeGuard.MULTIPART_OVERHEAD;
        assertFalse(UploadSizeGuard.declaredTooLarge(String.valueOf(form), "multipart/form-data; boundary=x", MAX));
        assertTrue(UploadSizeGuard.declaredTooLarge(String.valueOf(form + 1), "Multipart/Form-Data; boundary=x", MAX));
        assertTrue(UploadSizeGuard.declaredTooLarge(String.valueOf(form), "text/csv", MAX));
    }

    @Test
    void lengthsTooLongForALongAreOverAnyLimitAndUnreadableOnesAreLeftToTheStreamingChecks() {
        assertTrue(UploadSizeGuard.declaredTooLarge("99999999999999999999999999", "text/csv", MAX));
        assertFalse(UploadSizeGuard.declaredTooLarge(null, "text/csv", MAX));
        assertFalse(UploadSizeGuard.declaredTooLarge("", "text/csv", MAX));
        assertFalse(UploadSizeGuard.declaredTooLarge("-5", "text/csv", MAX));
        assertFalse(UploadSizeGuard.declaredTooLarge("12 34", "text/csv", MAX));
    }
}
