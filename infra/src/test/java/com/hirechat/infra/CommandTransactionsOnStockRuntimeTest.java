package com.hirechat.infra;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link CommandTransactionsTest} with every custom runtime piece switched back to Axon's: still all or nothing. */
@ExtendWith(StockRuntime.class)
class CommandTransactionsOnStockRuntimeTest extends CommandTransactionsTest {
}
