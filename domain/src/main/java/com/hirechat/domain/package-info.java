/**
 * The chat domain: value types, commands, events and the {@link com.hirechat.domain.Conversation} aggregate.
 * Pure Java plus Axon's modelling annotations; nothing here knows about HTTP, SQL or JSON.
 */
package com.hirechat.domain;
