/** The write side: the command API the web layer calls, aggregate caching and snapshots, event serialization. */
package com.hirechat.commands;
