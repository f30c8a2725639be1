package dev.edapatterns.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** What the results files say about the machine: CPU, memory, JVM, and the load other work puts on it. */
final class BenchMachine {

    private BenchMachine() {
    }

    /**
     * Where a benchmark writes its results file: {@code results/} (the published figures), or the directory named by
     * {@code -Dbench.results-dir} (the smoke tests: tiny runs must not overwrite them).
     */
    static Path results(String file) {
        return Path.of(System.getProperty("bench.results-dir", "results"), file);
    }

    static Map<String, Object> describe() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                lines.filter(l -> l.startsWith("model name")).findFirst()
                        .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
            }
        }
        m.put("memoryTotal", totalMemory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("benchJvmArgs", jvmArgs());
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        return m;
    }

    /** The 1/5/15-minute load averages: other work on the machine shows here. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The heap and GC options of this JVM. */
    static String jvmArgs() {
        return String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-X") || a.startsWith("-XX")).toList());
    }

    /** CPU seconds (user + system) a process used so far, from /proc/[pid]/stat; -1 where not readable. */
    static double cpuSeconds(long pid) {
        try {
            return statCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU seconds the JIT compiler threads of process {@code pid} ({@code C1/C2 CompilerThre...}) spent so far; -1
     * where not readable. A fresh JVM's compilations share the cores with what it is measured doing.
     *
     * <p>Never less than an earlier answer for the same process: the JVM ends idle compiler threads and starts new ones
     * (with two C1 threads, as under {@code TieredStopAtLevel=1}, the second comes and goes), and an ended thread's
     * CPU is gone from /proc. So each thread's last reading is kept, and a thread that ended loses only what it used
     * after it (a cold import once read -0.57 JIT seconds without this).
     */
    static double compilerCpuSeconds(long pid) {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            Map<String, Double> seen = COMPILER_THREADS.computeIfAbsent(pid, p -> new ConcurrentHashMap<>());
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat = taskStat(task);
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                    seen.merge(task.getFileName() + "@" + statStartTime(stat), statCpuSeconds(stat), Math::max);
                }
            }
            return seen.values().stream().mapToDouble(Double::doubleValue).sum();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Per process, each compiler thread's (task id and start time) last CPU reading: see {@link #compilerCpuSeconds(long)}. */
    private static final Map<Long, Map<String, Double>> COMPILER_THREADS = new ConcurrentHashMap<>();

    /**
     * A thread's stat line, or "0 () " for a thread that ended since the listing: a busy JVM starts and ends threads
     * all the time, and one such race must not make the whole process unreadable (a cold run once read 0 JIT seconds).
     */
    private static String taskStat(Path task) {
        try {
            return Files.readString(task.resolve("stat"));
        } catch (IOException e) { // NoSuchFileException, or "No such process" when it ends during the read
            return "0 () ";
        }
    }

    /** {@link #compilerCpuSeconds(long)} of these processes, summed (unreadable ones left out). */
    static double compilerCpuSeconds(List<Long> pids) {
        return pids.stream().mapToDouble(BenchMachine::compilerCpuSeconds).filter(v -> v >= 0).sum();
    }

    /** When the thread started (field 22, clock ticks after boot): with the task id, a thread no later one can be taken for. */
    private static String statStartTime(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
    }

    /** utime + stime of a {@code /proc/.../stat} line, in seconds. */
    private static double statCpuSeconds(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": f[0] = state (field 3), so utime (field 14) = f[11], stime (field 15) = f[12]
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // USER_HZ is 100 on Linux
    }

    /** CPU seconds the whole machine spent busy so far (all cores, from /proc/stat); -1 where not readable. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Removes a run's broker data (GBs after the bigger runs); what cannot be removed is named, not fatal. */
    static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static String totalMemory() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        if (!Files.isReadable(meminfo)) {
            return "unknown";
        }
        try (Stream<String> lines = Files.lines(meminfo)) {
            return lines.filter(l -> l.startsWith("MemTotal")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse("unknown");
        }
    }
}
