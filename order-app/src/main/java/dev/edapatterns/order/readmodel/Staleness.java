package dev.edapatterns.order.readmodel;

import jakarta.ws.rs.core.Response;

import dev.edapatterns.eventkit.projection.Projection;

/**
 * How stale an answer may be, as headers: {@code X-Projection-Applied-At} (the timestamp of the newest record the
 * projection applied; absent before the first) and {@code X-Projection-Lag} (records on its topics not applied yet,
 * as this instance last saw them).
 */
final class Staleness {

    static final String APPLIED_AT = "X-Projection-Applied-At";
    static final String LAG = "X-Projection-Lag";

    private Staleness() {
    }

    static Response ok(Object entity, ReadModel readModel, String projection) {
        Response.ResponseBuilder answer = Response.ok(entity);
        readModel.live(projection).ifPresent((Projection<?> p) -> {
            p.lastRecordAt().ifPresent(t -> answer.header(APPLIED_AT, t.toString()));
            answer.header(LAG, p.lag());
        });
        return answer.build();
    }
}
