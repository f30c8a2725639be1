package dev.edapatterns.importapp;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code import.*} setting in application.properties, one group per feature. */
@ConfigMapping(prefix = "import")
public interface ImportConfig {

    /** {@code import.uploads.*}: what POST /imports accepts. */
    Uploads uploads();

    /** {@code import.jobs.*}: how an upload is cut into import.jobs records. */
    Jobs jobs();

    /** {@code import.contacts-view.*}. */
    ContactsView contactsView();

    /** {@code import.progress.*}: the channel tokens handed to the starter of an import. */
    Progress progress();

    interface Uploads {
        /** Largest accepted upload; bigger ones get 413. */
        @WithDefault("200M")
        MemorySize maxBytes();

        /** Uploads processed at once per instance; more get 429. Also the size of the transactional producer pool. */
        @WithDefault("4")
        int maxConcurrent();

        /** Longest accepted value of a known column; a longer one rejects the row. */
        @WithDefault("256")
        int maxFieldLength();

        /** Row errors kept per import (the count is exact, the list is the first ones). */
        @WithDefault("100")
        int maxErrors();
    }

    interface Jobs {
        /** Rows per job at most. */
        @WithDefault("5000")
        int maxRows();

        /** Approximate serialized size of a job at most (well under Kafka's 1 MB record limit). */
        @WithDefault("512K")
        MemorySize maxBytes();
    }

    interface Progress {
        /** How long a channel token lets its user open the channel; {@code GET /imports/{id}} hands out a fresh one. */
        @WithDefault("10m")
        Duration tokenTtl();
    }

    interface ContactsView {
        /** Keep every contact in memory to answer {@code /contacts}; off on importer-only instances. */
        @WithDefault("true")
        boolean enabled();
    }
}
