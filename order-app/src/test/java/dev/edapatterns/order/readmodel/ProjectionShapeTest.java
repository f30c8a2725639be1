package dev.edapatterns.order.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Which shape a release has: the newest file across the locations (no database, no broker). */
@Tag("unit")
class ProjectionShapeTest {

    @Test
    void theReleasedShapesAreShapeOne() {
        assertEquals(1, ProjectionShape.newest(List.of("db/shapes"), "customers").number());
        assertEquals(1, ProjectionShape.newest(List.of("db/shapes"), "order_history").number());
    }

    @Test
    void aLaterLocationAddsTheNextShape() {
        ProjectionShape customers = ProjectionShape.newest(List.of("db/shapes", "db/test-shapes"), "customers");
        assertEquals(2, customers.number());
        assertEquals(1, ProjectionShape.newest(List.of("db/shapes", "db/test-shapes"), "order_history").number());
        String ddl = customers.createTable("customers_v7");
        assertTrue(ddl.contains("CREATE TABLE customers_v7 (") && ddl.contains("customers_v7_segment") && !ddl.contains("${"), ddl);
    }

    @Test
    void aProjectionWithoutShapeOneIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ProjectionShape.newest(List.of("db/test-shapes"), "customers"));
        assertTrue(e.getMessage().contains("customers-1.sql"), e.getMessage());
    }
}
