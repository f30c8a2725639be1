package dev.edapatterns.eventkit.dlq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The shape of a non-blocking retry chain (SmallRye {@code delayed-retry-topic}): a source topic, retry topics named
 * {@code <anything>_<delay ms>} (SmallRye reads the delay from the digits after the last {@code _}) and a dead-letter
 * topic. {@link #verify} checks it against the broker at start-up:
 * <ul>
 * <li>every retry and dead-letter topic has the source's partition count (SmallRye writes a failed record to the
 * same partition number, so a user's records stay on one partition number everywhere);</li>
 * <li>the retry timeout is larger than the sum of the delays (otherwise the last retries never happen).</li>
 * </ul>
 */
public record RetryTopology(String source, List<String> retryTopics, String deadLetterTopic, long timeoutMillis) {

    public RetryTopology {
        retryTopics = List.copyOf(retryTopics);
    }

    /** The delay SmallRye derives from a retry topic's name. */
    public static long delayOf(String retryTopic) {
        int split = retryTopic.lastIndexOf('_');
        try {
            return Long.parseLong(retryTopic.substring(split + 1));
        } catch (RuntimeException e) {
            throw new IllegalStateException("retry topic '" + retryTopic + "' must end in _<delay ms>");
        }
    }

    public long totalDelayMillis() {
        return retryTopics.stream().mapToLong(RetryTopology::delayOf).sum();
    }

    /** Throws {@link IllegalStateException} listing every problem; start-up must fail on it. */
    public void verify(Admin admin) {
        List<String> problems = new ArrayList<>();
        if (timeoutMillis <= totalDelayMillis()) {
            problems.add("delayed-retry-topic.timeout " + timeoutMillis + " ms must be larger than the sum of the delays "
                    + totalDelayMillis() + " ms");
        }
        List<String> all = new ArrayList<>();
        all.add(source);
        all.addAll(retryTopics);
        all.add(deadLetterTopic);
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(all).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Retry topics of " + source + " cannot be described: " + e, e);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        described.forEach((name, d) -> counts.put(name, d.partitions().size()));
        int expected = counts.get(source);
        for (String topic : all.subList(1, all.size())) {
            if (counts.get(topic) != expected) {
                problems.add("topic '" + topic + "' has " + counts.get(topic) + " partitions but its source '" + source
                        + "' has " + expected);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Retry topology of " + source + " is wrong: " + String.join("; ", problems));
        }
    }
}
