package dev.edapatterns.deploy.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the repository from the deploy module (Surefire's working directory) or the repository root. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        Path here = Path.of("").toAbsolutePath().normalize();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("contracts")) && Files.isDirectory(p.resolve("deploy/k8s"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the repository: " + here);
    }

    public static Path k8s(Path repo) {
        return repo.resolve("deploy/k8s");
    }

    public static Path kafkaDir(Path repo) {
        return k8s(repo).resolve("base/kafka");
    }
}
