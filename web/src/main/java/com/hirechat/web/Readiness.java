package com.hirechat.web;

import java.util.Map;

/** What must hold for this node to take traffic, each check by name (database reachable, processors running, …). */
@FunctionalInterface
public interface Readiness {

    Map<String, Boolean> checks();
}
