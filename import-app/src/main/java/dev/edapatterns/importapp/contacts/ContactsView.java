package dev.edapatterns.importapp.contacts;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListSet;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.edapatterns.contracts.EventDeserializer;
import dev.edapatterns.contracts.Topics;
import dev.edapatterns.contracts.imports.Contact;
import dev.edapatterns.eventkit.store.CompactedStore;
import dev.edapatterns.eventkit.store.Stores;
import dev.edapatterns.importapp.ImportConfig;
import io.quarkus.runtime.Startup;

/**
 * Contacts as a projection of compacted {@code import.contacts} (seed pattern 1, "consume and project"): a
 * {@link CompactedStore} plus a sorted key index for paging. Values are kept as their serialized bytes and decoded
 * on read: a million contacts as objects would not fit the 512 MB heap import-app is benchmarked with.
 */
@Startup
@Singleton
public class ContactsView {

    private final Stores stores;
    private final boolean enabled;
    private final ConcurrentSkipListSet<String> emails = new ConcurrentSkipListSet<>();
    private final EventDeserializer<Contact> decoder = Topics.IMPORT_CONTACTS.valueDeserializer();
    private CompactedStore<String, byte[]> store;

    ContactsView(Stores stores, ImportConfig config) {
        this.stores = stores;
        this.enabled = config.contactsView().enabled();
    }

    @PostConstruct
    void start() {
        if (!enabled) {
            return; // an importer-only instance: the view (all contacts in memory) lives elsewhere
        }
        store = stores.compacted(CompactedStore.builder(Topics.IMPORT_CONTACTS.name(), new StringDeserializer(),
                new ByteArrayDeserializer()).listener((email, old, now, loading) -> {
            if (now == null) {
                emails.remove(email);
            } else {
                emails.add(email);
            }
        }));
    }

    public boolean enabled() {
        return enabled;
    }

    public Optional<Contact> get(String email) {
        return store.get(email).map(bytes -> decoder.deserialize(Topics.IMPORT_CONTACTS.name(), bytes));
    }

    /** Up to {@code limit} contacts with emails after {@code after} (exclusive), in email order. */
    public List<Contact> page(String after, int limit) {
        var keys = after == null ? emails : emails.tailSet(after, false);
        return keys.stream().limit(limit).map(this::get).flatMap(Optional::stream).toList();
    }
}
