package dev.edapatterns.eventkit.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.edapatterns.deploy.JavaProcess;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;

/**
 * The atomic store's promise under {@code kill -9}: a child JVM owns the store and is killed twice while commands
 * stream in (with duplicates); after restarts every command is applied exactly once and every side effect was
 * emitted exactly once.
 */
class AtomicStoreCrashTest {

    private static final int KEYS = 12;
    private static final int COMMANDS = 6000;

    @Test
    void killedOwnerLosesNothingAndAppliesNothingTwice() throws Exception {
        Counter.Topics topics = new Counter.Topics("crash");
        AtomicReference<JavaProcess> worker = new AtomicReference<>(startWorker(topics));
        // The test only sends commands and reads states: it is not a writer.
        try (AtomicStore<String, Counter, Counter.Add> client = AtomicStore.builder("counter-crash", topics.commands,
                topics.store, Counter.reducer(topics.applied), Counter.Add::commandId)
                .clients(TestKafka.clients()).writer(false).start()) {

            Map<String, Long> expectedTotal = new HashMap<>();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                List<CompletableFuture<?>> burst = new ArrayList<>();
                for (int i = 1; i <= COMMANDS; i++) {
                    String key = "key-" + (i % KEYS);
                    Counter.Add add = new Counter.Add("cmd-" + i, i, key, (i - 1) / KEYS + 1);
                    burst.add(client.send(key, add));
                    if (i % 20 == 0) { // a producer retry / redelivery: same id again
                        burst.add(client.send(key, add));
                        // small acknowledged bursts: the stream lasts seconds, so the kills land mid-stream
                        CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).join();
                        burst.clear();
                    }
                }
            });
            for (int i = 1; i <= COMMANDS; i++) {
                expectedTotal.merge("key-" + (i % KEYS), (long) i, Long::sum);
            }

            for (long killAfter : List.of(1500L, 3500L)) {
                await().atMost(Duration.ofSeconds(90)).until(() -> applied(client) >= killAfter + ThreadLocalRandom.current().nextInt(200));
                worker.get().kill();                 // kill -9, mid-transaction or between transactions
                System.out.printf("%s killed worker at %d applied commands%n", java.time.LocalTime.now(), applied(client));
                worker.set(startWorker(topics));     // same transactional.id: fences and aborts the zombie's transaction
                System.out.printf("%s worker restarted at %d applied commands%n", java.time.LocalTime.now(), applied(client));
            }
            sending.get();
            System.out.printf("%s all commands sent, %d applied%n", java.time.LocalTime.now(), applied(client));

            await().atMost(Duration.ofSeconds(90)).until(() -> applied(client) == COMMANDS);
            for (int k = 0; k < KEYS; k++) {
                String key = "key-" + k;
                StoredState<Counter> s = client.getStored(key).orElseThrow();
                assertEquals(expectedTotal.get(key), s.state().total(), key + " total");
                assertEquals(COMMANDS / KEYS, s.state().count(), key + " count");
                assertEquals(0, s.state().orderViolations(), key + " order");
            }
            List<Counter.Applied> emitted = TopicRecords.values(topics.applied);
            Set<String> distinct = emitted.stream().map(Counter.Applied::commandId).collect(Collectors.toSet());
            assertEquals(COMMANDS, distinct.size(), "every command's side effect emitted");
            assertEquals(COMMANDS, emitted.size(), "and none emitted twice");
        } finally {
            worker.get().kill();
        }
    }

    private static long applied(AtomicStore<String, Counter, Counter.Add> client) {
        return client.view().snapshot().values().stream().mapToLong(s -> s.state().count()).sum();
    }

    private static JavaProcess startWorker(Counter.Topics t) {
        return JavaProcess.builder("counter-worker", CounterWorkerMain.class.getName())
                .args(TestKafka.bootstrapServers(), t.commands.name(), t.store.name(), t.applied.name(), "crash-worker-1")
                .systemProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager")
                .readyPattern(Pattern.compile(Pattern.quote(CounterWorkerMain.READY)))
                .start().process();
    }
}
