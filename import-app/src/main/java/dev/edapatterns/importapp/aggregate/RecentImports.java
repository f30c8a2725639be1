package dev.edapatterns.importapp.aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

import dev.edapatterns.contracts.imports.ImportAggregate;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.StoredState;

/**
 * Each starter's imports, newest accepted first: the index behind {@code GET /imports}, so a request reads at most
 * {@code limit} entries of its caller's and never scans the store. It follows the aggregate store's view (after a
 * restart, its replay of the compacted store topic), so it is as durable as the store; it costs one small entry per
 * import, beside the states the view already holds. An entry never changes once made (importId, starter and accept
 * time are fixed at ACCEPTED), so adding one twice is harmless and the order needs no update as an import progresses.
 * Imports from before accept times were kept sort after all others; imports without a starter (before starters were
 * kept) are in nobody's list.
 */
public final class RecentImports {

    private record Entry(Instant acceptedAt, String importId) {
    }

    private static final Comparator<Entry> NEWEST_FIRST = Comparator
            .comparing(Entry::acceptedAt, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Entry::importId);

    private final CompactedStore<String, StoredState<ImportAggregate>> view;
    private final ConcurrentHashMap<String, Set<Entry>> byStarter = new ConcurrentHashMap<>();

    private RecentImports(CompactedStore<String, StoredState<ImportAggregate>> view) {
        this.view = view;
    }

    /**
     * The index of {@code view}, kept in step with it. The listener comes first, then what the view already holds (it
     * may be replaying): an import seen by both is added twice, which changes nothing.
     */
    public static RecentImports following(CompactedStore<String, StoredState<ImportAggregate>> view) {
        RecentImports recent = new RecentImports(view);
        view.addListener((importId, old, now, loading) -> {
            if (now != null) {
                recent.add(now.state());
            } else if (old != null) {
                recent.remove(old.state());
            }
        });
        view.snapshot().values().forEach(s -> recent.add(s.state()));
        return recent;
    }

    /**
     * The newest {@code limit} imports {@code starter} started, as the view has them now: {@code limit} lookups at most
     * (an id the view no longer has, deleted while this was read, is skipped).
     */
    public List<ImportAggregate> newest(String starter, int limit) {
        Set<Entry> entries = byStarter.get(starter);
        List<ImportAggregate> result = new ArrayList<>(Math.min(limit, 32));
        if (entries == null) {
            return result;
        }
        for (Entry e : entries) {
            if (result.size() == limit) {
                break;
            }
            view.get(e.importId()).ifPresent(s -> result.add(s.state()));
        }
        return result;
    }

    private void add(ImportAggregate a) {
        if (a.startedBy() != null) {
            byStarter.computeIfAbsent(a.startedBy(), k -> new ConcurrentSkipListSet<>(NEWEST_FIRST))
                    .add(new Entry(a.acceptedAt(), a.importId()));
        }
    }

    private void remove(ImportAggregate a) {
        if (a.startedBy() != null) {
            byStarter.computeIfPresent(a.startedBy(), (k, set) -> {
                set.remove(new Entry(a.acceptedAt(), a.importId()));
                return set.isEmpty() ? null : set;
            });
        }
    }
}
