package dev.edapatterns.order.readmodel;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import javax.sql.DataSource;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.edapatterns.eventkit.dlq.DeadLetterQueue;
import dev.edapatterns.eventkit.projection.Projection;
import dev.edapatterns.eventkit.projection.ProjectionHandler;
import dev.edapatterns.eventkit.projection.UnreadableRecord;
import dev.edapatterns.eventkit.retry.BackoffPolicy;
import dev.edapatterns.eventkit.testing.KafkaBrokerTestResource;
import dev.edapatterns.eventkit.testing.TestKafka;
import dev.edapatterns.eventkit.testing.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * event-kit's projection against the real broker and database: the offsets in {@code projection_offsets} are the
 * source of truth, so a new consumer of the same projection resumes exactly there (every record applied once: the
 * probe table counts applications per key), a rolled-back batch is applied again once, an unreadable record goes to
 * the DLQ with cause headers and is passed over, and the consumer group's offsets (a copy for lag tools) are ignored.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(ReadModelTestResource.class)
class ProjectionResumeTest {

    static final Duration APPLIED = Duration.ofSeconds(30);

    /** Counts how often each key was applied: a duplicate shows as applied > 1. */
    static final class Probe implements ProjectionHandler<String> {
        final String table;
        final AtomicInteger failuresLeft = new AtomicInteger();

        Probe(String table) {
            this.table = table;
        }

        @Override
        public String read(ConsumerRecord<String, byte[]> record) throws UnreadableRecord {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.startsWith("poison")) {
                throw new UnreadableRecord("not a probe value: " + value);
            }
            return record.key();
        }

        @Override
        public void apply(Connection c, List<String> keys) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (k, applied) VALUES (?, 1)"
                    + " ON CONFLICT (k) DO UPDATE SET applied = " + table + ".applied + 1")) {
                for (String k : keys) {
                    ps.setString(1, k);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            if (failuresLeft.getAndDecrement() > 0) {
                throw new SQLException("injected failure after the rows were written");
            }
        }
    }

    /** Not injected directly: the Kafka-only test classes start the app without a datasource (inactive bean). */
    @Inject
    Instance<DataSource> dataSources;

    String topic;
    String table;
    Projection<String> running;

    @BeforeEach
    void topicAndTable() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        topic = "projection-probe-" + id;
        table = "probe_" + id;
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1), new NewTopic(topic + ".dlq", 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            // a produce to a partition whose leader is still being elected can fail the idempotent producer's sequence
            await().atMost(APPLIED).until(() -> admin.describeTopics(List.of(topic, topic + ".dlq")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())));
        }
        sql("CREATE TABLE " + table + " (k text PRIMARY KEY, applied integer NOT NULL)");
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    Projection<String> start(Probe probe) {
        running = Projection.builder("probe-" + topic, probe).topics(List.of(topic)).dataSource(dataSources.get())
                .clients(TestKafka.clients()).maxPollRecords(50)
                .backoff(BackoffPolicy.infinite(Duration.ofMillis(50), 2.0, Duration.ofMillis(200))).build().start();
        return running;
    }

    @Test
    void aNewConsumerResumesFromTheStoredOffsetsWithoutDuplicatesOrLoss() throws Exception {
        produce(0, 300);
        Projection<String> first = start(new Probe(table));
        await().atMost(APPLIED).until(() -> count("SELECT count(*) FROM " + table) == 300);
        first.close();
        long stored = count("SELECT sum(next_offset) FROM projection_offsets WHERE projection = 'probe-" + topic + "'");
        assertEquals(300, stored);

        produce(300, 200);
        // the group's offsets are a copy for lag tools: rewound to 0 they change nothing
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
            for (int p = 0; p < 3; p++) {
                zero.put(new TopicPartition(topic, p), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(first.groupId(), zero).all().get(30, TimeUnit.SECONDS);
        }
        Projection<String> second = start(new Probe(table));
        await().atMost(APPLIED).until(() -> count("SELECT count(*) FROM " + table) == 500 && second.caughtUp());
        assertEquals(0, count("SELECT count(*) FROM " + table + " WHERE applied <> 1"), "applied twice");
        assertEquals(500, count("SELECT sum(next_offset) FROM projection_offsets WHERE projection = 'probe-" + topic + "'"));
        // ... and are copied again once applied
        try (Admin admin = Admin.create(TestKafka.clients().admin())) {
            await().atMost(APPLIED).until(() -> admin.listConsumerGroupOffsets(second.groupId()).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 500);
        }
        assertTrue(second.lastRecordAt().isPresent());
    }

    @Test
    void aRolledBackBatchIsAppliedAgainExactlyOnce() throws Exception {
        produce(0, 40);
        Probe probe = new Probe(table);
        probe.failuresLeft.set(2);
        Projection<String> p = start(probe);
        await().atMost(APPLIED).until(() -> count("SELECT count(*) FROM " + table) == 40 && p.caughtUp());
        assertEquals(0, count("SELECT count(*) FROM " + table + " WHERE applied <> 1"), "a rolled-back row stayed");
        assertEquals(2, p.stats().failedBatches());
    }

    @Test
    void anUnreadableRecordGoesToTheDlqWithItsCauseAndIsPassedOver() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topic, 1, "k-before", "ok".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 1, "k-poison", "poison!".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, 1, "k-after", "ok".getBytes(StandardCharsets.UTF_8))).get();
        }
        Projection<String> p = start(new Probe(table));
        await().atMost(APPLIED).until(() -> count("SELECT count(*) FROM " + table) == 2 && p.caughtUp());
        assertEquals(0, count("SELECT count(*) FROM " + table + " WHERE k = 'k-poison'"));
        List<ConsumerRecord<String, byte[]>> dead = TopicRecords.raw(topic + ".dlq", "read_committed");
        assertEquals(1, dead.size());
        assertEquals("k-poison", dead.get(0).key());
        assertEquals(topic, header(dead.get(0), DeadLetterQueue.ORIGINAL_TOPIC));
        assertEquals("1", header(dead.get(0), DeadLetterQueue.ORIGINAL_OFFSET));
        assertEquals("not a probe value: poison!", header(dead.get(0), DeadLetterQueue.EXCEPTION_MESSAGE));
        assertEquals(1, p.stats().deadLettered());
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(TestKafka.clients().producer(Map.of()), new StringSerializer(), new ByteArraySerializer());
    }

    void produce(int from, int n) throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = from; i < from + n; i++) {
                producer.send(new ProducerRecord<>(topic, "k-" + i, ("v-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    void sql(String statement) throws SQLException {
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    long count(String query) {
        try (Connection c = dataSources.get().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
