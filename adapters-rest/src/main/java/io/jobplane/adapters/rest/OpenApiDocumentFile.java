package io.jobplane.adapters.rest;

import io.jobplane.adapters.rest.resource.OpenApiDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the OpenAPI document this API serves at /openapi.json to a file, so that the build can
 * generate clients (clients/java) from exactly that document: the same resource classes, the same
 * {@link OpenApiDocument} code, no server and no database.
 */
public final class OpenApiDocumentFile {

  private OpenApiDocumentFile() {}

  /** The document served at /openapi.json, as served. */
  public static String servedDocument() {
    return new OpenApiDocument(JobplaneApi.RESOURCES).json();
  }

  /** Usage: {@code OpenApiDocumentFile <file>}; creates the file's folder when missing. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: OpenApiDocumentFile <output file>");
    }
    Path file = Path.of(args[0]);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, servedDocument(), StandardCharsets.UTF_8);
  }
}
