package dev.edapatterns.notify.progress;

/**
 * One progress event as clients receive it: {@code seq} is the record's offset in {@code progress},
 * {@code timestamp} the record timestamp (ms) used for the TTL, {@code json} the text frame, written once.
 */
public record RetainedEvent(String channelId, long seq, long timestamp, String json) {
}
