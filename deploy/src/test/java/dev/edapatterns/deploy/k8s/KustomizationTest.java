package dev.edapatterns.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Kustomization;
import io.fabric8.kubernetes.api.model.kustomize.v1beta1.Patch;

/**
 * The base and the overlays {@code local}, {@code prod} and {@code native}, without kustomize: every referenced file
 * exists, the base lists every manifest, every patch selects resources of the base and every JSON-patch path exists
 * in each of them, every image override names an image of the base.
 */
@Tag("unit")
class KustomizationTest {

    private static final BaseManifests BASE = new BaseManifests();
    private final Path k8s = Repo.k8s(BASE.repo);

    @Test
    void baseListsEveryManifestFileAndEveryFileParses() {
        Kustomization base = Manifests.kustomization(BASE.base.resolve("kustomization.yaml"));
        Set<Path> listed = base.getResources().stream().map(r -> BASE.base.resolve(r).normalize()).collect(Collectors.toSet());
        Set<Path> files = Set.copyOf(Manifests.manifestFiles(BASE.base));
        assertEquals(files, listed, "base/kustomization.yaml resources = the YAML files under base");
        // every manifest anywhere under k8s parses into its model (overlays have no plain manifests today)
        Manifests.manifestFiles(k8s).forEach(Manifests::parse);
    }

    @Test
    void aFieldTheModelDoesNotKnowIsAnError(@TempDir Path dir) throws IOException {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata:
                  name: t
                spec:
                  partitions: 6
                  replica: 3
                """);
        AssertionError e = assertThrows(AssertionError.class, () -> Manifests.parse(typo));
        assertTrue(e.getMessage().contains(".spec.replica"), e.getMessage());
    }

    @Test
    void overlaysLocalProdAndNativePatchOnlyWhatExists() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> images = new TreeSet<>();
        for (var doc : BASE.docs) {
            doc.tree().findValues("image").forEach(i -> images.add(i.asText().replaceAll(":[^/]*$", "")));
        }
        for (String overlay : List.of("local", "prod", "native")) {
            Path dir = k8s.resolve("overlays").resolve(overlay);
            Kustomization k = Manifests.kustomization(dir.resolve("kustomization.yaml"));
            assertFalse(k.getResources().isEmpty(), overlay + " has resources");
            for (String r : k.getResources()) {
                Path p = dir.resolve(r).normalize();
                if (!Files.isRegularFile(p) && !Files.isRegularFile(p.resolve("kustomization.yaml"))) {
                    problems.add(overlay + ": resource " + r + " does not exist");
                }
            }
            k.getImages().forEach(i -> {
                if (!images.contains(i.getName())) {
                    problems.add(overlay + ": image " + i.getName() + " is in no container of the base " + images);
                }
            });
            for (Patch patch : k.getPatches()) {
                checkPatch(overlay, patch, problems);
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(Files.readString(k8s.resolve("overlays/native/kustomization.yaml")).startsWith("# UNVERIFIED"),
                "the native overlay says it was never tried");
    }

    @Test
    void patchCheckNoticesAPathThatDoesNotExist() throws IOException {
        Patch wrong = Manifests.YAML.readValue("""
                target:
                  kind: KafkaTopic
                patch: |-
                  - op: replace
                    path: /spec/replica
                    value: 1
                """, Patch.class);
        List<String> problems = new ArrayList<>();
        checkPatch("test", wrong, problems);
        assertFalse(problems.isEmpty(), "a patch of /spec/replica (typo) must be reported");
    }

    private static void checkPatch(String overlay, Patch patch, List<String> problems) {
        var target = patch.getTarget();
        List<Manifests.Doc> targets = BASE.docs.stream()
                .filter(d -> target.getKind() == null || target.getKind().equals(d.kind()))
                .filter(d -> target.getName() == null || target.getName().equals(d.name())).toList();
        if (targets.isEmpty()) {
            problems.add(overlay + ": patch target " + target.getKind() + "/" + target.getName() + " selects nothing");
            return;
        }
        JsonNode ops;
        try {
            ops = Manifests.YAML.readTree(patch.getPatch());
        } catch (IOException e) {
            problems.add(overlay + ": patch is no YAML: " + e.getMessage());
            return;
        }
        for (JsonNode op : ops) {
            String path = op.path("path").asText();
            String kind = op.path("op").asText();
            String mustExist = kind.equals("add") ? path.substring(0, path.lastIndexOf('/')) : path;
            for (Manifests.Doc d : targets) {
                if (d.tree().at(mustExist).isMissingNode()) {
                    problems.add(overlay + ": " + kind + " " + path + " on " + d.kind() + "/" + d.name() + ": no such path");
                }
            }
        }
    }
}
