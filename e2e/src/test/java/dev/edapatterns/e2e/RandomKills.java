package dev.edapatterns.e2e;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code kill -9} of import-app instances at random moments of running imports, each restarted with the same
 * instance id in the background (so the next kill may come while it is still down); remembers what happened.
 */
final class RandomKills {

    /** One kill: which instance, why, how far the watched imports were (aggregate view) and how long it was down. */
    static final class Kill {
        final String instance;
        final String victim;
        final int jobsDone;
        final int jobsTotal;
        volatile long downMillis = -1;

        Kill(String instance, String victim, int jobsDone, int jobsTotal) {
            this.instance = instance;
            this.victim = victim;
            this.jobsDone = jobsDone;
            this.jobsTotal = jobsTotal;
        }

        boolean midImport() {
            return jobsDone < jobsTotal;
        }

        @Override
        public String toString() {
            return String.format("%s (%s) at %d/%d jobs, down %d ms", instance, victim, jobsDone, jobsTotal, downMillis);
        }
    }

    private final ImporterCluster cluster;
    private final List<Kill> kills = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> restarts = new CopyOnWriteArrayList<>();

    RandomKills(ImporterCluster cluster) {
        this.cluster = cluster;
    }

    List<Kill> kills() {
        return kills;
    }

    /** Picks the instance to kill; {@link #stillValid} re-checks a pick made before waiting for the moment. */
    interface Victim {
        int pick(ImporterCluster cluster);

        default boolean stillValid(ImporterCluster cluster, int index) {
            return cluster.live().contains(index);
        }
    }

    /**
     * Waits until the watched imports together reached a random fraction in [{@code from}, {@code to}) of their jobs
     * (or all completed), pauses up to 300 ms more, kills the live instance {@code victim} picks (chosen before the
     * wait and re-checked after it, so the kill lands at the moment) and restarts it in the background after a random
     * pause of up to {@code maxDownMillis}.
     */
    Kill kill(List<AggregatedImport> watched, double from, double to, String victimKind, Victim victim, long maxDownMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int total = watched.stream().mapToInt(AggregatedImport::jobsTotal).sum();
        int target = (int) Math.ceil(total * (from + random.nextDouble() * (to - from)));
        int picked = victim.pick(cluster);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> jobsDone(watched) >= target || watched.stream().allMatch(i -> i.completed(cluster::anyUrl)));
        sleep(random.nextLong(300));
        int index = victim.stillValid(cluster, picked) ? picked : victim.pick(cluster);
        int done = jobsDone(watched);
        long t0 = System.nanoTime();
        cluster.kill(index);
        Kill kill = new Kill(cluster.instanceId(index), victimKind, done, total);
        kills.add(kill);
        ImporterCluster.log("killed %s (%s) at %d/%d jobs (target %d) of %s", kill.instance, victimKind, done, total, target,
                watched);
        long down = random.nextLong(maxDownMillis + 1);
        restarts.add(CompletableFuture.runAsync(() -> {
            sleep(down);
            cluster.restart(index);
            kill.downMillis = (System.nanoTime() - t0) / 1_000_000;
        }));
        return kill;
    }

    /** Waits for every restart, then until all instances are back at work in both groups. */
    void awaitRestarted() {
        CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).join();
        restarts.clear();
        cluster.awaitGroupsStable();
        ImporterCluster.log("all instances back in both groups");
    }

    /** Any live instance. */
    static Victim anyInstance() {
        return c -> {
            List<Integer> live = c.live();
            return live.get(ThreadLocalRandom.current().nextInt(live.size()));
        };
    }

    /** A live instance owning none of the imports' aggregate partitions, when there is one: a pure importer kill. */
    static Victim notOwningAggregatesOf(List<AggregatedImport> imports) {
        return new Victim() {
            @Override
            public int pick(ImporterCluster c) {
                List<Integer> owners = imports.stream().map(i -> c.aggregateOwner(i.importId)).toList();
                List<Integer> others = new ArrayList<>(c.live());
                others.removeAll(owners);
                List<Integer> pool = others.isEmpty() ? c.live() : others;
                return pool.get(ThreadLocalRandom.current().nextInt(pool.size()));
            }

            @Override
            public boolean stillValid(ImporterCluster c, int index) {
                return c.live().contains(index)
                        && imports.stream().noneMatch(i -> c.currentAggregateOwner(i.importId) == index);
            }
        };
    }

    /** The live owner of the import's {@code import.aggregate.commands} partition (waits for one). */
    static Victim aggregateOwnerOf(AggregatedImport anImport) {
        return new Victim() {
            @Override
            public int pick(ImporterCluster c) {
                return c.aggregateOwner(anImport.importId);
            }

            @Override
            public boolean stillValid(ImporterCluster c, int index) {
                return c.currentAggregateOwner(anImport.importId) == index;
            }
        };
    }

    private int jobsDone(List<AggregatedImport> watched) {
        return watched.stream().mapToInt(i -> i.jobsDone(cluster::anyUrl)).sum();
    }

    /**
     * The fault schedule's pauses only (a kill's random moment, a victim's random time down): what they wait for is
     * time itself, so that kills land at moments nobody chose. Nothing waits with it for the system to get somewhere.
     */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
