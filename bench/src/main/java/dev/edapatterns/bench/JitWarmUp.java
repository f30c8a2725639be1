package dev.edapatterns.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A warm-up that goes on until the JIT compilers of the JVMs under test have settled: rounds of the benchmark's own
 * work until, during one round, their C1/C2 threads used at most a given share of one core (from {@code /proc}), or
 * a time bound passed; at least {@code minRounds}. On 2 cores a fresh JVM compiles for minutes under load, and those
 * compilations delay the very work being measured: that is warm-up, not the latency or cost under test.
 */
final class JitWarmUp {

    /** Settled: the compilers used at most 5% of one core during a round. */
    static final double SETTLED_CORE_SHARE = 0.05;

    /** One round of warm-up work; {@code n} counts from 0. */
    interface Round {
        void run(int n) throws Exception;
    }

    private final String label;
    private final List<Long> pids;
    private final double quietCoreShare;
    private final double maxSeconds;
    private final int minRounds;

    /** {@code label} names the rounds in the output ("warm-up import 3: ..."). */
    JitWarmUp(String label, List<Long> pids, double quietCoreShare, double maxSeconds, int minRounds) {
        this.label = label;
        this.pids = pids;
        this.quietCoreShare = quietCoreShare;
        this.maxSeconds = maxSeconds;
        this.minRounds = minRounds;
    }

    /** Runs rounds until settled or out of time; how it ended: rounds, seconds, jitSettled, lastRoundJitCoreShare. */
    Map<String, Object> run(Round round) throws Exception {
        long start = System.nanoTime();
        int rounds = 0;
        double share;
        do {
            double jit0 = BenchMachine.compilerCpuSeconds(pids);
            long t0 = System.nanoTime();
            round.run(rounds);
            share = (BenchMachine.compilerCpuSeconds(pids) - jit0) / ((System.nanoTime() - t0) / 1e9);
            rounds++;
            if (share < 0) {
                // a compiler thread ended during the round (the JVM stops idle ones) and took its CPU time with it
                System.out.printf("%s %d: the JIT compilers' CPU is unknown (a compiler thread ended)%n", label, rounds);
                share = Double.POSITIVE_INFINITY;
            } else {
                System.out.printf("%s %d: the JIT compilers used %.0f%% of a core%n", label, rounds, 100 * share);
            }
        } while (rounds < minRounds || (share > quietCoreShare && System.nanoTime() - start < maxSeconds * 1e9));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", rounds);
        m.put("seconds", (System.nanoTime() - start) / 1e9);
        m.put("jitSettled", share <= quietCoreShare);
        m.put("lastRoundJitCoreShare", share);
        return m;
    }
}
