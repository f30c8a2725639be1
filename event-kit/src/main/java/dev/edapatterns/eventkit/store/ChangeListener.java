package dev.edapatterns.eventkit.store;

/** Told of every change a store applies, on the store's thread, in topic order per partition. */
@FunctionalInterface
public interface ChangeListener<K, V> {

    /**
     * @param oldValue the previous value, null when the key was absent
     * @param newValue the new value, null for a tombstone (delete)
     * @param loading  true while the store replays the topic at start-up
     */
    void onChange(K key, V oldValue, V newValue, boolean loading);
}
