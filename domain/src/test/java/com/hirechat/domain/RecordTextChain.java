package com.hirechat.domain;

/** The frozen scheme-1 rule as a chain, for aggregate tests that need some chain but not the stored bytes. */
final class RecordTextChain implements EventChain {

    @Override
    public String scheme() {
        return "1";
    }

    @Override
    public String next(String previous, ConversationEvent event) {
        return EventHash.schemeOne(previous, event);
    }
}
