/** Read models in PostgreSQL: event handlers that build them (idempotent under redelivery) and the queries over them. */
package com.hirechat.projections;
