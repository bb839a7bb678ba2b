package io.jobplane.app.client;

import io.jobplane.client.ApiClient;
import java.net.URI;
import java.time.Duration;

/**
 * Where the client talks to and with which token. The token is held here only to be sent; it
 * appears in no message or {@link #toString()}.
 */
public record Connection(URI server, String token, String tokenSource) {

  public ApiClient apiClient() {
    ApiClient client = new ApiClient();
    client.updateBaseUri(server.toString().replaceAll("/+$", ""));
    client.setConnectTimeout(Duration.ofSeconds(10));
    if (token != null) {
      client.setRequestInterceptor(r -> r.header("Authorization", "Bearer " + token));
    }
    return client;
  }

  @Override
  public String toString() {
    return "Connection[server=" + server + ", token from " + tokenSource + "]";
  }
}
