package io.jobplane.app.client;

/** A command that talks to the API; its failures are printed as one line ({@link Failures}). */
interface ClientCommand {

  ClientOptions options();
}
