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

    /** {@code import.importer.*}: the importer group's workers on this instance. */
    Importer importer();

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

        /** Data rows per upload at most (the header is not counted); more: 413. */
        @WithDefault("1000000")
        long maxRows();

        /** Columns per row (header included) at most; more: 400. */
        @WithDefault("256")
        int maxColumns();

        /** Longest header row in UTF-8 bytes; longer: 400, refused after reading at most this much of it. */
        @WithDefault("16K")
        MemorySize maxHeaderBytes();

        /** Longest record (a row, quoted line breaks included) in UTF-8 bytes; longer: 400, after reading at most this. */
        @WithDefault("64K")
        MemorySize maxRecordBytes();

        /**
         * Longest wait for the next bytes of an upload's body (also {@code quarkus.http.read-timeout}); then 408, and
         * the upload's permit is free again.
         */
        @WithDefault("30s")
        Duration readTimeout();

        /** Longest time one upload may take to arrive, however steadily it trickles; then 408. */
        @WithDefault("10m")
        Duration maxDuration();
    }

    interface Jobs {
        /** Rows per job at most. */
        @WithDefault("5000")
        int maxRows();

        /** Approximate serialized size of a job at most (well under Kafka's 1 MB record limit). */
        @WithDefault("512K")
        MemorySize maxBytes();

        /** The upload producer's {@code compression.type} for the jobs (none, lz4, zstd, ...). */
        @WithDefault("lz4")
        String compression();
    }

    interface Importer {
        /** The importer's consumer group (every instance's workers share it). */
        @WithDefault("importer")
        String groupId();

        /**
         * Workers of the importer group on this instance, each one consumer and one transactional producer: while one
         * commits, another transforms. More than {@code import.jobs}' partitions over all instances would sit idle.
         */
        @WithDefault("2")
        int workers();

        /** Jobs polled, and committed in one transaction, at most per worker. */
        @WithDefault("4")
        int maxPollJobs();
    }

    interface Progress {
        /** How long a channel token lets its user open the channel; {@code GET /imports/{id}} hands out a fresh one. */
        @WithDefault("10m")
        Duration tokenTtl();
    }
}
