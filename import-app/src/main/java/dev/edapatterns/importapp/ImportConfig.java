package dev.edapatterns.importapp;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code import.*}: limits of the jobs service. */
@ConfigMapping(prefix = "import")
public interface ImportConfig {

    /** Largest accepted upload; bigger ones get 413. */
    @WithDefault("200M")
    MemorySize maxBytes();

    /** Rows per job at most. */
    @WithDefault("5000")
    int jobRows();

    /** Approximate serialized size of a job at most (well under Kafka's 1 MB record limit). */
    @WithDefault("512K")
    MemorySize jobMaxBytes();

    /** Uploads processed at once per instance; more get 429. Also the size of the transactional producer pool. */
    @WithDefault("4")
    int maxConcurrentUploads();

    /** Longest accepted value of a known column; a longer one rejects the row. */
    @WithDefault("256")
    int maxFieldLength();

    /** Row errors kept per import (the count is exact, the list is the first ones). */
    @WithDefault("100")
    int maxErrors();

    /** {@code import.contacts-view.*}. */
    ContactsView contactsView();

    interface ContactsView {
        /** Keep every contact in memory to answer {@code /contacts}; off on importer-only instances. */
        @WithDefault("true")
        boolean enabled();
    }
}
