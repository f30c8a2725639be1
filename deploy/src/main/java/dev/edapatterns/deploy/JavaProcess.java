package dev.edapatterns.deploy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM for fault tests and local runs: started from a classpath and a main class, its output copied to a
 * log file, {@link #start} returns once a line matches the ready pattern. {@link #kill()} is a real
 * {@code kill -9}: no shutdown hooks, no flush, no goodbye to the broker.
 */
public final class JavaProcess implements AutoCloseable {

    /** Children still running; killed when this JVM exits normally or on SIGTERM, so none is left behind. */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "java-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private JavaProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL and wait until the OS reaped it. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** SIGTERM only (shutdown hooks run); {@link #waitFor} tells whether it exited. */
    public void terminate() {
        process.destroy();
    }

    /** SIGTERM (shutdown hooks run), SIGKILL if it is still alive after {@code grace}. */
    public void stop(Duration grace) {
        process.destroy();
        if (!waitFor(grace)) {
            kill();
        }
    }

    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public int exitValue() {
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop(Duration.ofSeconds(20));
        }
    }

    @Override
    public String toString() {
        return name + "(pid " + (process.isAlive() ? pid() : "exited") + ", log " + log + ")";
    }

    public static final class Builder {
        private final String name;
        private final String mainClass;
        private String classpath = System.getProperty("java.class.path");
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> args = new ArrayList<>();
        private Path logDir = Path.of("target", "process-logs");
        private Pattern readyPattern;
        private Duration readyTimeout = Duration.ofSeconds(90);
        private Consumer<String> lineListener = line -> { };

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        /** Defaults to this JVM's classpath (also right under Surefire: its booter jar lists the test classpath). */
        public Builder classpath(String classpath) { this.classpath = classpath; return this; }
        public Builder jvmArg(String arg) { jvmArgs.add(arg); return this; }
        /** Drops the defaults (small heap, serial GC, C1 only: fast start for tests), e.g. for benchmarks. */
        public Builder clearJvmArgs() { jvmArgs.clear(); return this; }
        public Builder systemProperty(String key, String value) { systemProperties.put(key, value); return this; }
        /** An environment variable of the child (on top of this JVM's): secrets stay off its command line. */
        public Builder environment(String name, String value) { environment.put(name, value); return this; }
        public Builder args(String... more) { args.addAll(List.of(more)); return this; }
        public Builder logDir(Path dir) { this.logDir = dir; return this; }
        /** {@link #start} waits for a line matching this; its first group (if any) is {@link Started#readyGroup}. */
        public Builder readyPattern(Pattern pattern) { this.readyPattern = pattern; return this; }
        public Builder readyTimeout(Duration timeout) { this.readyTimeout = timeout; return this; }
        /** Called for every output line (from the reader thread). */
        public Builder onLine(Consumer<String> listener) { this.lineListener = listener; return this; }

        public Started start() {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(mainClass);
            cmd.addAll(args);
            try {
                Files.createDirectories(logDir);
                Path log = logDir.resolve(name + ".log");
                ProcessBuilder processBuilder = new ProcessBuilder(cmd).redirectErrorStream(true);
                processBuilder.environment().putAll(environment);
                Process process = processBuilder.start();
                LIVE.add(process);
                process.onExit().thenRun(() -> LIVE.remove(process));
                JavaProcess child = new JavaProcess(name, process, log);
                CompletableFuture<String> ready = new CompletableFuture<>();
                Thread pump = new Thread(() -> pump(child, ready), name + "-output");
                pump.setDaemon(true);
                pump.start();
                if (readyPattern == null) {
                    return new Started(child, null);
                }
                try {
                    return new Started(child, ready.get(readyTimeout.toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    child.kill();
                    throw new IllegalStateException(name + " printed no line matching '" + readyPattern + "' within "
                            + readyTimeout + "; see " + log);
                } catch (Exception e) {
                    child.kill();
                    throw new IllegalStateException(name + " failed to start; see " + log, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void pump(JavaProcess child, CompletableFuture<String> ready) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.process.getInputStream(), StandardCharsets.UTF_8));
                 Writer out = Files.newBufferedWriter(child.log, StandardCharsets.UTF_8,
                         StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    lineListener.accept(line);
                    if (readyPattern != null && !ready.isDone()) {
                        Matcher m = readyPattern.matcher(line);
                        if (m.find()) {
                            ready.complete(m.groupCount() > 0 ? m.group(1) : line);
                        }
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException(child.name + " exited before it was ready"));
        }
    }

    /** A started child and what its ready line captured. */
    public record Started(JavaProcess process, String readyGroup) { }
}
