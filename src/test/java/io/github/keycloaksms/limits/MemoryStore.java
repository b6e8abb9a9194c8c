package io.github.keycloaksms.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.keycloak.models.SingleUseObjectProvider;

/**
 * Keycloak's single-use store as the limits use it, in memory, counting operations: what a
 * refused send costs is the number of calls it makes to the cluster store. Lifespans are ignored
 * (the tests run within one window).
 */
public final class MemoryStore implements SingleUseObjectProvider {

    private final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();
    public final AtomicInteger operations = new AtomicInteger();

    @Override
    public void put(String key, long lifespanSeconds, Map<String, String> notes) {
        operations.incrementAndGet();
        entries.put(key, Map.copyOf(notes));
    }

    @Override
    public Map<String, String> get(String key) {
        operations.incrementAndGet();
        return entries.get(key);
    }

    @Override
    public Map<String, String> remove(String key) {
        operations.incrementAndGet();
        return entries.remove(key);
    }

    @Override
    public boolean replace(String key, Map<String, String> notes) {
        operations.incrementAndGet();
        return entries.replace(key, Map.copyOf(notes)) != null;
    }

    @Override
    public boolean putIfAbsent(String key, long lifespanInSeconds) {
        operations.incrementAndGet();
        return entries.putIfAbsent(key, Map.of()) == null;
    }

    @Override
    public boolean contains(String key) {
        operations.incrementAndGet();
        return entries.containsKey(key);
    }

    @Override
    public void close() {
    }
}
