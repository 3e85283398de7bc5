/** The runnable application: configuration, database, Axon wiring and the command line. */
package com.hirechat.infra;
