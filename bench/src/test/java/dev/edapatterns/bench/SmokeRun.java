package dev.edapatterns.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.edapatterns.contracts.Json;

/**
 * One benchmark program run as {@code exec:exec} runs it: its own JVM on this module's classpath, in the module's
 * directory, with {@code -D} options; its output to {@code target/bench-smoke/<name>.log} and its results file to
 * {@code target/bench-smoke/} ({@code -Dbench.results-dir}), never over the published {@code results/}.
 */
final class SmokeRun {

    static final Path DIR = Path.of("target", "bench-smoke");

    /**
     * C1 only in every JVM of a run: the benchmark's, and the broker and apps it starts (they inherit the
     * environment). At this size C2 compilations would be much of their CPU, on cores the rest of the build shares.
     */
    private static final String JVM_OPTIONS = "-XX:TieredStopAtLevel=1";

    private final String name;
    private final List<String> command = new ArrayList<>();
    private String output;

    private SmokeRun(String name, Class<?> main, String... jvmArgs) {
        this.name = name;
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.add("-Dbench.results-dir=" + DIR.toAbsolutePath());
        command.add("-classpath");
        // surefire's forked JVM may see only its booter jar as java.class.path
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
    }

    static SmokeRun of(String name, Class<?> main, String... jvmArgs) {
        return new SmokeRun(name, main, jvmArgs);
    }

    SmokeRun option(String property, Object value) {
        command.add(command.size() - 1, "-D" + property + "=" + value);
        return this;
    }

    /**
     * Runs it to its end within {@code limit} and asserts it exited 0. On timeout the JVM gets a SIGTERM: its
     * shutdown hooks stop the broker and the apps it started.
     */
    SmokeRun run(Duration limit) throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        Path log = DIR.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_TOOL_OPTIONS", JVM_OPTIONS);
        Process p = builder.start();
        boolean exited = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
        output = Files.readString(log);
        assertTrue(exited, name + " still running after " + limit + "; output in " + log.toAbsolutePath() + ":\n" + tail());
        assertEquals(0, p.exitValue(), name + " failed; output in " + log.toAbsolutePath() + ":\n" + tail());
        return this;
    }

    /** Asserts the printed output has every one of these lines (or line parts): the report's tables were printed. */
    SmokeRun printed(String... parts) {
        for (String part : parts) {
            assertTrue(output.contains(part), name + " did not print '" + part + "':\n" + tail());
        }
        return this;
    }

    /** What it printed (stdout and stderr). */
    String output() {
        return output;
    }

    /** The results file it wrote; asserts the output names it (the report reached its end). */
    JsonNode results(String file) throws IOException {
        Path path = DIR.resolve(file).toAbsolutePath();
        printed("written " + path);
        return Json.mapper().readTree(path.toFile());
    }

    /**
     * CPU seconds (user + system) of every process this JVM started and reaped, with theirs: the smoke's cost
     * whatever else shares the machine (its wall time is not).
     */
    static double childrenCpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0; // cutime, cstime (fields 16, 17)
    }

    private String tail() {
        return output.length() <= 6000 ? output : output.substring(output.length() - 6000);
    }
}
