package dev.edapatterns.eventkit.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.edapatterns.contracts.EventSerializer;
import dev.edapatterns.contracts.Topic;

@Tag("unit")
class AppliedIdsTest {

    @Test
    void numberedIdsBecomeRangesPerPrefixInAnyOrder() {
        List<Integer> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            jobs.add(i);
        }
        Collections.shuffle(jobs, new Random(7));
        AppliedIds ids = AppliedIds.empty();
        for (int job : jobs) {
            assertTrue(ids.add("imp-1:" + job));
            assertFalse(ids.add("imp-1:" + job), "second add of the same id");
        }
        assertTrue(ids.add("imp-1:accepted"));
        assertEquals(1001, ids.size());
        assertEquals(Map.of("imp-1:", "0-999"), ids.encodedRanges());
        assertEquals(List.of("imp-1:accepted"), ids.others());
        assertTrue(ids.contains("imp-1:0") && ids.contains("imp-1:999") && ids.contains("imp-1:accepted"));
        assertFalse(ids.contains("imp-1:1000") || ids.contains("imp-2:0") || ids.contains("imp-1:"));
    }

    @Test
    void gapsStayGapsAndIdsThatDoNotReadBackAsNumbersStayStrings() {
        AppliedIds ids = AppliedIds.empty();
        for (String id : List.of("k:1", "k:2", "k:5", "k:3", "k:9", "k:007", "k:0", "7", "k:12345678901234567890")) {
            ids.add(id);
        }
        assertEquals(Map.of("k:", "0-3,5,9", "", "7"), ids.encodedRanges());
        assertEquals(List.of("k:007", "k:12345678901234567890"), ids.others(), "leading zero / too long: kept verbatim");
        assertFalse(ids.contains("k:4") || ids.contains("k:7") || ids.contains("k:6"));
        assertTrue(ids.contains("k:007") && !ids.contains("k:07"));
        assertEquals(9, ids.size());
    }

    @Test
    void storedFormRoundTripsThroughTheSerializerAndReadsOldStates() {
        AppliedIds ids = AppliedIds.empty();
        for (int i = 10; i < 20; i++) {
            ids.add("u:" + i);
        }
        ids.add("u:22");
        ids.add("first");
        RecordHeaders headers = new RecordHeaders();
        byte[] bytes = new EventSerializer<StoredState<String>>().serialize("t", headers, StoredState.of(11, "s", ids));
        assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"appliedRanges\":{\"u:\":\"10-19,22\"}"));
        Topic<String, StoredState<String>> topic = StoredState.topic(Topic.builder("t", String.class).atomicStoreState().build());
        StoredState<String> read = topic.valueDeserializer().deserialize("t", headers, bytes);
        assertEquals(12, read.applied().size());
        assertTrue(read.hasApplied("u:15") && read.hasApplied("u:22") && read.hasApplied("first"));
        assertFalse(read.hasApplied("u:20"));

        // a state written before ranges existed: every id in the list
        byte[] old = "{\"version\":2,\"state\":\"s\",\"appliedCommandIds\":[\"u:1\",\"u:2\",\"x\"]}".getBytes(StandardCharsets.UTF_8);
        StoredState<String> legacy = topic.valueDeserializer().deserialize("t", new RecordHeaders(), old);
        AppliedIds migrated = legacy.applied();
        assertEquals(3, migrated.size());
        assertEquals(Map.of("u:", "1-2"), migrated.encodedRanges());
        assertEquals(List.of("x"), migrated.others());
    }

    @Test
    void copiesAreIndependent() {
        AppliedIds ids = AppliedIds.empty();
        ids.add("a:1");
        AppliedIds copy = ids.copy();
        copy.add("a:2");
        copy.add("b");
        assertFalse(ids.contains("a:2") || ids.contains("b"));
        assertEquals(1, ids.size());
        assertEquals(3, copy.size());
    }
}
