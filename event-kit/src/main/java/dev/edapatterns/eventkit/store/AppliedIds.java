package dev.edapatterns.eventkit.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ids of the commands an atomic store applied to one key, kept compact: an id {@code <prefix><number>} (e.g.
 * {@code importId:417}, {@code user-1:2026-11}) joins the number ranges of its prefix ({@code "0-999,1001"}), any
 * other id is kept as it is. A key that saw a thousand job ids therefore stores a few bytes instead of a thousand
 * strings — the state is rewritten with every applied batch, so its size is paid again and again.
 *
 * <p>Not thread-safe: the atomic store's writer thread owns its instances and copies them before a batch.
 */
public final class AppliedIds {

    /** Longest number kept as a range: 18 digits always fit a long. */
    private static final int MAX_DIGITS = 18;

    /** prefix -> range start -> range end (inclusive), ranges disjoint and not adjacent */
    private final Map<String, TreeMap<Long, Long>> ranges;
    private final LinkedHashSet<String> others;
    private long size;

    private AppliedIds(Map<String, TreeMap<Long, Long>> ranges, LinkedHashSet<String> others, long size) {
        this.ranges = ranges;
        this.others = others;
        this.size = size;
    }

    public static AppliedIds empty() {
        return new AppliedIds(new LinkedHashMap<>(), new LinkedHashSet<>(), 0);
    }

    /** Reads the stored form: plain ids (also every id of states written before ranges existed) and ranges. */
    public static AppliedIds of(List<String> ids, Map<String, String> encodedRanges) {
        AppliedIds applied = empty();
        if (encodedRanges != null) {
            encodedRanges.forEach((prefix, encoded) -> applied.addEncoded(prefix, encoded));
        }
        if (ids != null) {
            ids.forEach(applied::add);
        }
        return applied;
    }

    public boolean contains(String id) {
        int split = numberStart(id);
        if (split < 0) {
            return others.contains(id);
        }
        TreeMap<Long, Long> r = ranges.get(id.substring(0, split));
        if (r == null) {
            return false;
        }
        long n = Long.parseLong(id, split, id.length(), 10);
        Map.Entry<Long, Long> floor = r.floorEntry(n);
        return floor != null && floor.getValue() >= n;
    }

    /** Adds an id; false if it was there already. */
    public boolean add(String id) {
        int split = numberStart(id);
        boolean added = split < 0 ? others.add(id)
                : addNumber(ranges.computeIfAbsent(id.substring(0, split), p -> new TreeMap<>()),
                        Long.parseLong(id, split, id.length(), 10));
        if (added) {
            size++;
        }
        return added;
    }

    /** How many ids were applied. */
    public long size() {
        return size;
    }

    public AppliedIds copy() {
        Map<String, TreeMap<Long, Long>> r = new LinkedHashMap<>();
        ranges.forEach((prefix, map) -> r.put(prefix, new TreeMap<>(map)));
        return new AppliedIds(r, new LinkedHashSet<>(others), size);
    }

    /** The ids that are not {@code <prefix><number>}, in the order applied. */
    public List<String> others() {
        return new ArrayList<>(others);
    }

    /** Per prefix, its numbers as {@code "0-999,1001,1005-1010"}. */
    public Map<String, String> encodedRanges() {
        Map<String, String> out = new LinkedHashMap<>();
        ranges.forEach((prefix, map) -> {
            StringBuilder s = new StringBuilder();
            map.forEach((start, end) -> {
                if (s.length() > 0) {
                    s.append(',');
                }
                s.append(start);
                if (!end.equals(start)) {
                    s.append('-').append(end);
                }
            });
            out.put(prefix, s.toString());
        });
        return out;
    }

    /**
     * Where the trailing number of {@code id} starts, or -1 when it has none that converts back to the same text
     * (no digits, too many, or a leading zero such as {@code "007"}).
     */
    static int numberStart(String id) {
        int i = id.length();
        while (i > 0 && Character.isDigit(id.charAt(i - 1)) && id.charAt(i - 1) < 128) {
            i--;
        }
        int digits = id.length() - i;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && id.charAt(i) == '0')) {
            return -1;
        }
        return i;
    }

    private void addEncoded(String prefix, String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        TreeMap<Long, Long> r = ranges.computeIfAbsent(prefix, p -> new TreeMap<>());
        for (String part : encoded.split(",")) {
            int dash = part.indexOf('-');
            long start = Long.parseLong(dash < 0 ? part : part.substring(0, dash));
            long end = dash < 0 ? start : Long.parseLong(part.substring(dash + 1));
            if (end < start) {
                throw new IllegalArgumentException("bad range '" + part + "' for prefix '" + prefix + "'");
            }
            size += addRange(r, start, end);
        }
    }

    private static boolean addNumber(TreeMap<Long, Long> r, long n) {
        return addRange(r, n, n) == 1;
    }

    /** Adds {@code [start, end]}, merging touching or overlapping ranges; how many numbers were new. */
    private static long addRange(TreeMap<Long, Long> r, long start, long end) {
        long covered = 0;
        long mergedStart = start;
        long mergedEnd = end;
        Map.Entry<Long, Long> below = r.floorEntry(start);
        if (below != null && below.getValue() >= start - 1) {
            covered += overlap(below, start, end);
            mergedStart = below.getKey();
            mergedEnd = Math.max(mergedEnd, below.getValue());
            r.remove(below.getKey());
        }
        for (var it = r.subMap(start, true, end + 1, true).entrySet().iterator(); it.hasNext();) {
            Map.Entry<Long, Long> e = it.next();
            covered += overlap(e, start, end);
            mergedEnd = Math.max(mergedEnd, e.getValue());
            it.remove();
        }
        r.put(mergedStart, mergedEnd);
        return end - start + 1 - covered;
    }

    private static long overlap(Map.Entry<Long, Long> range, long start, long end) {
        return Math.max(0, Math.min(range.getValue(), end) - Math.max(range.getKey(), start) + 1);
    }
}
