/** Helidon 4 SE front door: the WebSocket protocol and room fan-out, the JSON HTTP API, tokens, and the browser client. */
package com.hirechat.web;
