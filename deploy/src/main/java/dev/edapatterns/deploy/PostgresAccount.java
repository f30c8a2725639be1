package dev.edapatterns.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The operating-system account PostgreSQL runs as. {@code initdb} and {@code postgres} refuse to run as root (a
 * database server that owns the machine turns every SQL injection into a root shell), yet CI and fresh machines run
 * everything as root. So when this JVM is root, the server runs as the system user {@value #SYSTEM_USER} (created
 * with {@code useradd} when missing) through {@code runuser}; it owns the data directory, and every directory above
 * it gets the search bit (x, not r) so it can reach it. For any other user nothing changes: the server runs as that
 * user, like any process it starts.
 */
final class PostgresAccount {

    static final String SYSTEM_USER = "eda-postgres";

    private final String runAs; // null: this JVM's own user

    private PostgresAccount(String runAs) {
        this.runAs = runAs;
    }

    static PostgresAccount forThisProcess() {
        return isRoot() ? new PostgresAccount(ensureSystemUser()) : new PostgresAccount(null);
    }

    /** The command line that runs {@code command} as this account. */
    List<String> command(List<String> command) {
        if (runAs == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", runAs, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Lets this account own {@code dir} (a directory is created when missing, a file must exist) and reach it. */
    void own(Path dir) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir);
            }
            if (runAs == null) {
                return;
            }
            UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(runAs);
            if (!Files.getOwner(dir).equals(user)) { // a kept data directory is handed over once, not at every start
                try (var paths = Files.walk(dir)) {
                    for (Path p : paths.toList()) {
                        Files.setOwner(p, user);
                    }
                }
            }
            for (Path parent = dir.toAbsolutePath().getParent(); parent != null; parent = parent.getParent()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(parent);
                if (mode.add(PosixFilePermission.OTHERS_EXECUTE)) {
                    Files.setPosixFilePermissions(parent, mode);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not hand " + dir + " to " + runAs, e);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String ensureSystemUser() {
        if (run("id", "-u", SYSTEM_USER) != 0
                && run("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", SYSTEM_USER) != 0
                && run("id", "-u", SYSTEM_USER) != 0) { // useradd fails when a parallel JVM just created it
            throw new IllegalStateException("running as root, and the user " + SYSTEM_USER
                    + " PostgreSQL must run as is missing and useradd could not create it");
        }
        return SYSTEM_USER;
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
