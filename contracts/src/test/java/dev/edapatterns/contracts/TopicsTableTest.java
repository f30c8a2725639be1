package dev.edapatterns.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The topics table in docs/OPERATING.md is generated from {@link Topics#ALL}, so operators read what the apps really
 * create. A changed catalog fails this test until the table is regenerated:
 * {@code ./mvnw -B -q -pl contracts test -Dtest=TopicsTableTest -Dtopics.regenerate=true}.
 */
@Tag("unit")
class TopicsTableTest {

    static final String BEGIN = "<!-- topics-table:begin (generated from contracts Topics.ALL by TopicsTableTest) -->";
    static final String END = "<!-- topics-table:end -->";
    static final Path DOC = Path.of("..", "docs", "OPERATING.md");

    static String table() {
        StringBuilder md = new StringBuilder();
        md.append("| topic | partitions | cleanup | retention | transactional | written by | what |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Topic<?, ?> t : Topics.ALL) {
            md.append("| `").append(t.name()).append("` | ").append(t.partitions()).append(" | ")
                    .append(t.cleanupPolicy().configValue()).append(" | ")
                    .append(t.retention().map(TopicsTableTest::human).orElse("broker default")).append(" | ")
                    .append(t.transactional() ? "yes" : "no").append(" | ")
                    .append(t.owner() == null ? "" : t.owner().appName()).append(" | ")
                    .append(t.description() == null ? "" : t.description().replace("|", "\\|")).append(" |\n");
        }
        return md.toString();
    }

    static String human(Duration d) {
        if (d.toDays() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + " d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + " h";
        }
        return d.toMinutes() + " min";
    }

    @Test
    void operatingTopicsTableMatchesTheCatalog() throws IOException {
        String text = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " lacks the markers " + BEGIN + " ... " + END);
        String current = text.substring(begin + BEGIN.length() + 1, end);
        String expected = table();
        if (Boolean.getBoolean("topics.regenerate")) {
            Files.writeString(DOC, text.substring(0, begin + BEGIN.length() + 1) + expected + text.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, current, DOC + " topics table is stale: regenerate with "
                + "./mvnw -B -q -pl contracts test -Dtest=TopicsTableTest -Dtopics.regenerate=true");
    }
}
