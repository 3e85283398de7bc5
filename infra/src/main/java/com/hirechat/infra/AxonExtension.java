package com.hirechat.infra;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.Configurer;

import com.hirechat.infra.crypto.KeyRing;

/** Components a feature adds to the Axon configuration, with the pieces of the runtime it may use. */
public interface AxonExtension {

    /**
     * @param connections the unit of work's connection on a thread that runs one (what the token store uses)
     * @param transactions the transaction manager of every unit of work
     * @param keys        the data keys
     */
    void configure(Configurer configurer, ConnectionProvider connections, TransactionManager transactions, KeyRing keys);
}
