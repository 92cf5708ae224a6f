# dialer-bridge as a container: built from source with the Maven wrapper, run on a Java 17 runtime as a non-root
# user, configured by environment variables (see README, "Container").
#
#   docker build -t dialer-bridge .
#   docker run --rm -p 8080:8080 --env-file bridge.env dialer-bridge
#   docker build --target local -t dialer-bridge:local . && docker run --rm -p 8080:8080 dialer-bridge:local
#                                          # try it: local mode (emulator, embedded Kafka, demo traffic), test classpath
#
# Both base images are build arguments, so a registry mirror or an in-house image can stand in for Docker Hub's
# (container/verify.sh builds with base images made from Debian packages). The build stage needs a JDK 17 with tar
# and gzip; the runtime stage needs only a Java 17 runtime: no shell, curl or useradd is used there.
ARG BUILD_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# The wrapper and the pom first: the dependency layer is rebuilt only when the pom changes.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -q dependency:go-offline
COPY application.yaml ./
COPY src/ src/
# Tests run in CI (.ci/run), not in the image build. The liveness probe is copied out as a bare class file so the
# HEALTHCHECK can run it without starting Spring.
RUN ./mvnw -B -q -DskipTests package \
 && mkdir -p /out/probe/io/dialerbridge/operations \
 && cp target/dialer-bridge-*.jar /out/dialer-bridge.jar \
 && cp target/classes/io/dialerbridge/operations/LivenessProbe.class /out/probe/io/dialerbridge/operations/

# Local mode's classpath (the target `local` only): the product's classes, the test classes that hold the emulator,
# the embedded broker and the demo, and every dependency of test scope.
FROM build AS local-build
RUN ./mvnw -B -q dependency:copy-dependencies -DincludeScope=test -DoutputDirectory=/out-local/lib \
 && cp -r target/classes /out-local/classes \
 && cp -r target/test-classes /out-local/test-classes \
 && cp -r /out/probe /out-local/probe

# docker build --target local: local mode, never a deployment (unauthenticated emulator admin API, demo traffic).
FROM ${RUNTIME_IMAGE} AS local
WORKDIR /app
COPY --from=local-build /out-local/ /app/
COPY application.yaml /app/application.yaml
COPY routes/ /app/routes/
USER 10001:10001
ENV SERVER_PORT=8080
# The embedded broker keeps its log here: /app is not writable by the bridge's user.
ENV EMBEDDED_KAFKA_DATA_DIRECTORY=/tmp/local-kafka
EXPOSE 8080 8090 9092
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", \
         "-cp", "/app/probe", "io.dialerbridge.operations.LivenessProbe"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-cp", "/app/classes:/app/test-classes:/app/lib/*", \
            "io.dialerbridge.TestDialerBridgeApplication"]

# The production image (the default target).

FROM ${RUNTIME_IMAGE}
# The working directory holds what users mount their own over: application.yaml and routes/.
WORKDIR /app
COPY --from=build /out/ /app/
COPY application.yaml /app/application.yaml
COPY routes/ /app/routes/
# Any non-root id works; a numeric one lets Kubernetes check runAsNonRoot. Files stay root-owned and read-only to it.
USER 10001:10001
ENV SERVER_PORT=8080
EXPOSE 8080
# Docker-format images only (Kubernetes ignores it and uses its own probes on the same endpoints).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx32m", \
         "-cp", "/app/probe", "io.dialerbridge.operations.LivenessProbe"]
# Heap: half the container's memory limit. The other half is for what is not heap (metaspace, code cache, threads,
# buffers: about 180 MB), so a 512 MB limit holds the bridge under load (docs/benchmarks.md). More JVM flags go in
# JAVA_TOOL_OPTIONS, which the JVM reads by itself.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/dialer-bridge.jar"]
