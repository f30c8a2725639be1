package dev.edapatterns.importapp.contacts;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import io.quarkus.runtime.Startup;

/**
 * Contacts as a projection of compacted {@code import.contacts} (seed pattern 1, "consume and project"): a
 * {@link CompactedStore} plus a sorted key index for paging.
 */
@Startup
@Singleton
public class ContactsView {

    private final Stores stores;
    private final ConcurrentSkipListSet<String> emails = new ConcurrentSkipListSet<>();
    private CompactedStore<String, Contact> store;

    ContactsView(Stores stores) {
        this.stores = stores;
    }

    @PostConstruct
    void start() {
        store = stores.compacted(CompactedStore.builder(Topics.IMPORT_CONTACTS).listener((email, old, now, loading) -> {
            if (now == null) {
                emails.remove(email);
            } else {
                emails.add(email);
            }
        }));
    }

    public Optional<Contact> get(String email) {
        return store.get(email);
    }

    /** Up to {@code limit} contacts with emails after {@code after} (exclusive), in email order. */
    public List<Contact> page(String after, int limit) {
        var keys = after == null ? emails : emails.tailSet(after, false);
        return keys.stream().limit(limit).map(store::get).flatMap(Optional::stream).toList();
    }
}
