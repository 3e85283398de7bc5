package com.hirechat.infra;

import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BoundedAggregateTest} with every custom runtime piece switched back to Axon's: the contract holds either way. */
@ExtendWith(StockRuntime.class)
class BoundedAggregateOnStockRuntimeTest extends BoundedAggregateTest {
}
