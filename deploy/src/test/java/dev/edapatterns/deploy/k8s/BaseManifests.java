package dev.edapatterns.deploy.k8s;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Every document of {@code deploy/k8s/base}, parsed once per test class. */
final class BaseManifests {

    final Path repo = Repo.root();
    final Path base = Repo.k8s(repo).resolve("base");
    final List<Manifests.Doc> docs = Manifests.manifestFiles(base).stream().flatMap(f -> Manifests.parse(f).stream()).toList();

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return docs.stream().map(Manifests.Doc::model).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst();
    }
}
