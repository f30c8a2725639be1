package dev.edapatterns.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a P4 run cost in Kafka traffic, per renewal: records and transaction markers per topic (a topic's end offset
 * minus its records is the number of commit/abort markers written to it: one per transaction per partition), and the
 * app's atomic-store transactions and commands. The broker's CPU follows these counts more than the bytes.
 */
final class TrafficCount {

    private TrafficCount() {
    }

    /** The app's eventkit_atomic_* counters (summed per name and outcome), scraped before it stops. */
    static Map<String, Double> meters(int appPort) {
        Map<String, Double> meters = new TreeMap<>();
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(BenchApp.managementUrl(appPort)
                    + "/q/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : body.split("\n")) {
                if (line.startsWith("eventkit_atomic_transactions_total") || line.startsWith("eventkit_atomic_commands_total")) {
                    int space = line.lastIndexOf(' ');
                    String name = line.substring(0, line.indexOf('{')) + " " + outcome(line);
                    meters.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
                }
            }
        } catch (Exception e) {
            System.out.println("  metrics not read: " + e);
        }
        return meters;
    }

    private static String outcome(String line) {
        int at = line.indexOf("outcome=\"");
        return at < 0 ? "" : line.substring(at + 9, line.indexOf('"', at + 9));
    }

    /** Per topic: records and markers, per renewal; then the app's meters per renewal. */
    static void print(String kafka, String[] topics, Map<String, Double> meters, int renewals) {
        System.out.printf("  %-34s %10s %10s %12s %12s%n", "topic", "records", "markers", "records/ren", "markers/ren");
        long allRecords = 0;
        long allMarkers = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka,
                "isolation.level", "read_uncommitted", "max.poll.records", 10_000), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (String topic : topics) {
                List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(parts);
                consumer.seekToBeginning(parts);
                Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts));
                long endSum = end.values().stream().mapToLong(Long::longValue).sum();
                long records = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                    records += consumer.poll(Duration.ofMillis(200)).count();
                }
                allRecords += records;
                allMarkers += endSum - records;
                if (endSum > 0) {
                    System.out.printf("  %-34s %,10d %,10d %12.2f %12.2f%n", topic, records, endSum - records,
                            (double) records / renewals, (double) (endSum - records) / renewals);
                }
            }
        }
        System.out.printf("  %-34s %,10d %,10d %12.2f %12.2f%n", "all", allRecords, allMarkers, (double) allRecords / renewals,
                (double) allMarkers / renewals);
        meters.forEach((name, value) -> System.out.printf("  %-50s %,12.0f %8.3f per renewal%n", name, value, value / renewals));
    }
}
