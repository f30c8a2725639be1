package dev.edapatterns.order.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.order.readmodel.VersionsTable.Versions;

/** What a release does with a projection's versions, by its shape against theirs (no database, no broker). */
@Tag("unit")
class ShapePlanTest {

    @Test
    void theSameShapeProjectsAndServesTheLiveVersionAndJoinsItsRebuild() {
        assertEquals(new ShapePlan(true, false, false, true), ShapePlan.of(new Versions(3, 1, null, null), 1));
        assertEquals(new ShapePlan(true, true, false, true), ShapePlan.of(new Versions(3, 1, 4, 1), 1));
    }

    @Test
    void aNewerShapeBuildsItselfBesideTheLiveVersionAndServesOnlyOnceItIsLive() {
        assertEquals(new ShapePlan(false, false, true, false), ShapePlan.of(new Versions(3, 1, null, null), 2));
        assertEquals(new ShapePlan(false, true, false, false), ShapePlan.of(new Versions(3, 1, 4, 2), 2));
        assertEquals(new ShapePlan(true, false, false, true), ShapePlan.of(new Versions(4, 2, null, null), 2));
    }

    @Test
    void aNewerShapeWaitsForARebuildOfTheOlderShapeToEndBeforeStartingItsOwn() {
        assertEquals(new ShapePlan(false, false, false, false), ShapePlan.of(new Versions(3, 1, 4, 1), 2));
    }

    @Test
    void anOlderShapeStopsOnceANewerOneIsLiveOrBeingBuilt() {
        assertEquals(new ShapePlan(false, false, false, false), ShapePlan.of(new Versions(4, 2, null, null), 1));
        // the older release keeps the live version while the newer one builds: no gap in answers
        assertEquals(new ShapePlan(true, false, false, true), ShapePlan.of(new Versions(3, 1, 4, 2), 1));
    }
}
