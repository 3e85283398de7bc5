package com.hirechat.commands.writepath;

import java.util.function.UnaryOperator;

import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Axon's aggregate cache on Caffeine: holds the most recently used aggregates strongly, up to a bound.
 * Axon's own {@code WeakReferenceCache} loses every idle aggregate at the next garbage collection, which under load
 * is every few hundred milliseconds, so most commands paid for loading a snapshot and replaying events.
 */
final class BoundedAggregateCache implements Cache {

    private final com.github.benmanes.caffeine.cache.Cache<Object, Object> entries;

    BoundedAggregateCache(long maximumEntries) {
        this.entries = Caffeine.newBuilder().maximumSize(maximumEntries).build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.getIfPresent(key);
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.asMap().putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.asMap().remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.invalidateAll();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.asMap().containsKey(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> void computeIfPresent(Object key, UnaryOperator<V> update) {
        entries.asMap().computeIfPresent(key, (k, value) -> update.apply((V) value));
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        // nothing in this application listens; Axon's repositories do not either
        throw new UnsupportedOperationException("entry listeners are not supported by this cache");
    }
}
