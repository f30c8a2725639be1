package dev.edapatterns.order.readmodel;

import dev.edapatterns.order.readmodel.VersionsTable.Versions;

/**
 * What a process of this release does with a projection, given its versions in {@code projection_versions} and the
 * shape this release has ({@link ProjectionShape}). Releases with different shapes run side by side during a rolling
 * upgrade, against one database: each one writes and reads only versions of its own shape, so an older release never
 * writes a newer table with its older columns, and a newer one never queries the older table for columns it lacks.
 *
 * @param projectLive    run the live version's projection here
 * @param projectBuilding run the version being built here (and switch to it once caught up)
 * @param startRebuild   this release's shape is newer than the live one and nothing is being built: build it
 * @param serves         answer queries (readiness UP for this projection); otherwise 503 until a version of this
 *                       release's shape is live
 */
record ShapePlan(boolean projectLive, boolean projectBuilding, boolean startRebuild, boolean serves) {

    static ShapePlan of(Versions versions, int shape) {
        boolean live = versions.liveShape() == shape;
        boolean building = versions.building() != null && versions.buildingShape() == shape;
        boolean newer = shape > versions.liveShape() && versions.building() == null;
        return new ShapePlan(live, building, newer, live);
    }
}
