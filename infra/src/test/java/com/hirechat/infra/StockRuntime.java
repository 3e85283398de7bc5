package com.hirechat.infra;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.infra.eventstore.RuntimeFallback;

/**
 * Runs a test class with every custom runtime piece switched back to Axon's ({@code HIRECHAT_RUNTIME_FALLBACKS=all}):
 * a contract test extended with {@code @ExtendWith(StockRuntime.class)} then shows the contract holds both ways.
 * Servers started through {@link TestServers} and wirings through {@link #jdbcMode()} pick it up.
 */
final class StockRuntime implements BeforeAllCallback, AfterAllCallback {

    private static final String PROPERTY = "hirechat.test.runtime-fallbacks";

    @Override
    public void beforeAll(ExtensionContext context) {
        System.setProperty(PROPERTY, "all");
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty(PROPERTY);
    }

    /** The fallbacks the running test class asked for, as the variable's value; empty for the custom runtime. */
    static Map<String, String> settings() {
        var fallbacks = System.getProperty(PROPERTY);
        return fallbacks == null ? Map.of() : Map.of("HIRECHAT_RUNTIME_FALLBACKS", fallbacks);
    }

    /** The PostgreSQL mode with the fallbacks the running test class asked for. */
    static EventStoreMode.Jdbc jdbcMode() {
        return System.getProperty(PROPERTY) == null ? new EventStoreMode.Jdbc()
                : new EventStoreMode.Jdbc(Set.of(RuntimeFallback.values()));
    }
}
