# syntax=docker/dockerfile:1
# Jobplane image: the API server (`serve`), the operator (`operator`), `worker` and
# `create-token`, all from one runnable jar.
#
#   docker build -t jobplane/jobplane:0.1.0 .
#   docker run --rm -p 8080:8080 jobplane/jobplane:0.1.0 serve   # local try, embedded database
#
# chart-tests/.../DockerfileTest checks this file against the Maven build.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 between builds; tests run in CI (`mvn -B verify`), not here.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -pl app -am package

FROM eclipse-temurin:17-jre
# A numeric, non-root user, so that Kubernetes can verify runAsNonRoot.
RUN groupadd --system --gid 10001 jobplane \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /var/lib/jobplane --shell /usr/sbin/nologin jobplane \
 && mkdir -p /var/lib/jobplane \
 && chown 10001:10001 /var/lib/jobplane
COPY --from=build /src/app/target/jobplane.jar /app/jobplane.jar
# `serve` without --data-dir keeps its embedded database and admin token here (local use only).
WORKDIR /var/lib/jobplane
USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/jobplane.jar"]
CMD ["--help"]
