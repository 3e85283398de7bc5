package com.hirechat.infra.eventstore;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Where events, commands and queries go ({@code HIRECHAT_EVENT_STORE}); read models and tokens are always in PostgreSQL. */
public sealed interface EventStoreMode {

    /**
     * The default: events in PostgreSQL's {@code domain_event_entry}, commands and queries inside this process.
     *
     * @param fallbacks the custom pieces switched back to Axon's stock ones (none in production)
     */
    record Jdbc(Set<RuntimeFallback> fallbacks) implements EventStoreMode {

        public Jdbc {
            fallbacks = fallbacks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fallbacks));
        }

        /** Every custom piece in use. */
        public Jdbc() {
            this(Set.of());
        }

        public boolean uses(RuntimeFallback fallback) {
            return fallbacks.contains(fallback);
        }
    }

    /**
     * Events, commands and queries through Axon Server.
     *
     * @param servers        {@code host:port} of each server to try, in order
     * @param context        the Axon Server context holding this application's events
     * @param token          access token, when the server requires one
     * @param connectTimeout how long start-up waits for a connection before giving up
     */
    record AxonServer(List<String> servers, String context, Optional<String> token, Duration connectTimeout)
            implements EventStoreMode {

        /** The default gRPC port of Axon Server. */
        public static final int DEFAULT_PORT = 8124;

        public AxonServer {
            servers = List.copyOf(servers);
        }

        /** The servers as the connector and the operator write them: comma-separated. */
        public String addresses() {
            return String.join(",", servers);
        }

        @Override
        public String toString() {
            // the token is a credential: never in a log line
            return "AxonServer[servers=" + addresses() + ", context=" + context
                    + ", token=" + token.map(t -> "***").orElse("none") + ", connectTimeout=" + connectTimeout + "]";
        }
    }
}
