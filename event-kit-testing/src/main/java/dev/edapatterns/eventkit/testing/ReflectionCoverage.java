package dev.edapatterns.eventkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native-image check without a native build: which Jackson-mapped types of a code base are missing from a
 * {@link RegisterForReflection#targets()} list. "Jackson-mapped" is taken broadly: every public record and enum
 * (nested ones too) under a package prefix, in the jar or classes folder of a given class. Jackson reads and writes
 * them by reflection, which a native executable only allows for registered types.
 */
public final class ReflectionCoverage {

    private ReflectionCoverage() {
    }

    /** Names of the public records and enums under {@code packagePrefix} in {@code anchor}'s code source, sorted. */
    public static Set<String> mappedTypes(Class<?> anchor, String packagePrefix) {
        Set<String> found = new TreeSet<>();
        for (String name : classNames(anchor)) {
            if (!name.startsWith(packagePrefix) || name.startsWith("dev.edapatterns.eventkit.testing.")) {
                continue;
            }
            try {
                Class<?> c = Class.forName(name, false, anchor.getClassLoader());
                if ((c.isRecord() || c.isEnum()) && isPublic(c)) {
                    found.add(c.getName());
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // a class whose optional dependencies are absent: not a mapped type
            }
        }
        return found;
    }

    /** The types of {@link #mappedTypes} that {@code registry}'s {@code @RegisterForReflection} does not list. */
    public static Set<String> missing(Class<?> registry, Class<?> anchor, String packagePrefix) {
        RegisterForReflection r = registry.getAnnotation(RegisterForReflection.class);
        if (r == null) {
            throw new IllegalArgumentException(registry + " has no @RegisterForReflection");
        }
        Set<String> missing = new TreeSet<>(mappedTypes(anchor, packagePrefix));
        for (Class<?> t : r.targets()) {
            missing.remove(t.getName());
        }
        return missing;
    }

    private static boolean isPublic(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> classNames(Class<?> anchor) {
        try {
            Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> names = new ArrayList<>();
            if (Files.isDirectory(source)) {
                try (Stream<Path> files = Files.walk(source)) {
                    files.filter(p -> p.toString().endsWith(".class"))
                            .forEach(p -> names.add(toName(source.relativize(p).toString().replace('\\', '/'))));
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    jar.stream().map(JarEntry::getName).filter(n -> n.endsWith(".class")).forEach(n -> names.add(toName(n)));
                }
            }
            names.removeIf(n -> n.endsWith("module-info") || n.endsWith("package-info"));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String toName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }
}
