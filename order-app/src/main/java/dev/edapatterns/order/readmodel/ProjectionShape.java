package dev.edapatterns.order.readmodel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The layout of one projection's table in this release: {@code db/shapes/<view>-<n>.sql} on the class path, the
 * highest {@code n} being the shape this release writes and queries. A shape file is DDL with {@code ${table}} for the
 * version's table (its indexes named after it), run as one statement batch when a version is created. Changing a
 * projection's columns or indexes means adding the next file, never editing a released one: the version tables of
 * the older shape stay what they were, and {@link ReadModel} rebuilds into the new shape beside them.
 */
record ProjectionShape(String view, int number, String ddl) {

    /**
     * The newest shape of {@code view}: shape n is the first {@code <location>/<view>-<n>.sql} among
     * {@code locations}, for n = 1, 2, ... as long as one exists. Every projection has at least shape 1.
     */
    static ProjectionShape newest(List<String> locations, String view) {
        ProjectionShape newest = null;
        for (int n = 1; ; n++) {
            String name = view + "-" + n + ".sql";
            String ddl = locations.stream().map(location -> resource(location + "/" + name)).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            if (ddl == null) {
                break;
            }
            newest = new ProjectionShape(view, n, ddl);
        }
        if (newest == null) {
            throw new IllegalStateException("No shape of projection table " + view + ": " + view + "-1.sql is in none of "
                    + locations);
        }
        return newest;
    }

    /** The DDL that creates {@code table} in this shape (a trusted name: built from the view and a version number). */
    String createTable(String table) {
        return ddl.replace("${table}", table);
    }

    private static String resource(String path) {
        try (InputStream in = ProjectionShape.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(path, e);
        }
    }
}
