package dev.edapatterns.order.readmodel;

import java.util.List;
import java.util.function.Function;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.eventkit.projection.ProjectionHandler;

/**
 * One projection of the read model: its name (in {@code projection_versions} and {@code projection_offsets}), the view
 * the queries read ({@code <view>} -> table {@code <view>_v<n>}), its topics and its handler for a version's table.
 */
record ProjectionKind(String name, String view, List<String> topics, Function<String, ProjectionHandler<?>> handler) {

    static final ProjectionKind CUSTOMERS = new ProjectionKind("customers", "customers",
            List.of(Topics.IMPORT_CONTACTS.name()), CustomersHandler::new);
    static final ProjectionKind ORDER_HISTORY = new ProjectionKind("order-history", "order_history",
            OrderHistoryHandler.topics(), OrderHistoryHandler::new);
    static final List<ProjectionKind> ALL = List.of(CUSTOMERS, ORDER_HISTORY);

    /** The table of version {@code version} (a trusted name: built from this record and an integer). */
    String table(int version) {
        return view + "_v" + version;
    }

    static java.util.Optional<ProjectionKind> named(String name) {
        return ALL.stream().filter(k -> k.name.equals(name)).findFirst();
    }
}
