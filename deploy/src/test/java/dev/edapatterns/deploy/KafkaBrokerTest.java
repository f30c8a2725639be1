package dev.edapatterns.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** Its two brokers (own ports, own data dirs) start beside each other and beside the module's other tests. */
@Execution(ExecutionMode.CONCURRENT)
class KafkaBrokerTest {

    @Test
    void inJvmBrokerServesRecordsAndCreatesNoTopicByItself() throws Exception {
        try (KafkaBroker broker = KafkaBroker.startOnFreePorts(Path.of("target"), Map.of());
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("t1", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(broker.bootstrapServers(), "t1", "k", "v1");
            assertEquals(List.of("v1"), readAll(broker.bootstrapServers(), "t1", 1));
            // auto.create.topics.enable=false: asking for metadata of an unknown topic does not create it
            try (KafkaConsumer<String, String> c = consumer(broker.bootstrapServers())) {
                c.partitionsFor("never-declared", Duration.ofSeconds(2));
            } catch (org.apache.kafka.common.errors.TimeoutException expected) {
                // the client may also give up waiting for metadata of an unknown topic
            }
            assertFalse(admin.listTopics().names().get().contains("never-declared"));
        }
    }

    @Test
    void ownProcessKeepsDataAcrossCleanRestartAndKill() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "kafka-proc-");
        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(dataDir);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertTrue(Files.exists(dataDir.resolve("meta.properties")), "log dir formatted");
            String clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
            admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(broker.bootstrapServers(), "kept", "a", "before-restart");

            broker.restart(); // SIGTERM: clean shutdown, then the same data dir is not formatted again
            produce(broker.bootstrapServers(), "kept", "b", "after-restart");

            broker.stop();    // stays down until launched again: a client sees no broker on the port
            assertFalse(broker.process().isAlive());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port(broker)), 1000);
                throw new AssertionError("the stopped broker still accepts connections");
            } catch (IOException expected) {
                // connection refused
            }
            broker.launch();
            produce(broker.bootstrapServers(), "kept", "b2", "after-stop");

            long pid = broker.process().pid();
            broker.kill();    // kill -9
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            broker.launch();
            produce(broker.bootstrapServers(), "kept", "c", "after-kill");

            assertEquals(List.of("before-restart", "after-restart", "after-stop", "after-kill"),
                    readAll(broker.bootstrapServers(), "kept", 4));
            try (Admin again = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                assertEquals(clusterId, again.describeCluster().clusterId().get(30, TimeUnit.SECONDS), "same cluster after restarts");
            }
            String log = Files.readString(broker.process().log(), StandardCharsets.UTF_8);
            assertTrue(log.contains(KafkaBrokerMain.READY_PREFIX + broker.bootstrapServers()), log);
        }
    }

    private static int port(KafkaBrokerProcess broker) {
        String bootstrap = broker.bootstrapServers();
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    private static void produce(String bootstrap, String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                "acks", "all", "enable.idempotence", "true"), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap), new StringDeserializer(), new StringDeserializer());
    }

    private static List<String> readAll(String bootstrap, String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer(bootstrap)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
