# The service as a Linux container image. Two final targets:
#   jit (default)  framework-dependent, ReadyToRun-compiled, on the ASP.NET Core runtime image
#   aot            Native AOT, a single native binary on the runtime-deps image (no .NET runtime at all)
#
#   docker build --target jit -t service:jit .
#   docker build --target aot -t service:aot .
#   scripts/images/build.sh [jit|aot|all]        (stamps version and commit, can use local base images)
#
# Every base image is a build argument whose default is the official Microsoft image; air-gapped builders pass
# mirrored or locally built bases (scripts/images/build-local-bases.sh). Works with the classic builder and
# BuildKit alike: no BuildKit-only syntax. Both images run as the non-root uid 1654 with no shell, and are made
# for a read-only root filesystem with a writable /tmp. See docs/containers.md.

# Build stages run on the SDK image. For the aot target it must be able to link native code (clang or gcc, and
# zlib headers): point it at an AOT-ready SDK image, or let the aot stage install them with apt-get.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG ASPNET_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
ARG RUNTIME_DEPS_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled

# ---- project files only: the restore layers below stay cached until a project file changes ----------------------
FROM ${SDK_IMAGE} AS sources
# linux-x64 or linux-arm64; Native AOT compiles for the architecture the SDK image runs on.
ARG RUNTIME_ID=linux-x64
ENV RUNTIME_ID=${RUNTIME_ID}
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Company.Service1/Company.Service1.csproj src/Company.Service1/

# ---- framework-dependent, ReadyToRun (precompiled: the JIT has less to do at startup) ----------------------------
FROM sources AS jit-build
RUN dotnet restore src/Company.Service1/Company.Service1.csproj -r "$RUNTIME_ID" -p:PublishReadyToRun=true
COPY .editorconfig ./
COPY src/ src/
ARG VERSION=0.0.0-local
ARG REVISION=unknown
RUN dotnet publish src/Company.Service1/Company.Service1.csproj --no-restore -c Release -r "$RUNTIME_ID" --self-contained false \
        -p:PublishReadyToRun=true -p:Version="$VERSION" -p:SourceRevisionId="$REVISION" -o /app \
    && rm -f /app/*.pdb

# ---- Native AOT -------------------------------------------------------------------------------------------------
FROM sources AS aot-build
# The official SDK image has no native toolchain; an AOT-ready SDK image (or the local one) already has it.
RUN if ! { command -v clang || command -v gcc; } >/dev/null || [ ! -f /usr/include/zlib.h ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends clang zlib1g-dev \
        && rm -rf /var/lib/apt/lists/*; \
    fi
RUN dotnet restore src/Company.Service1/Company.Service1.csproj -r "$RUNTIME_ID" -p:PublishAot=true
COPY .editorconfig ./
COPY src/ src/
ARG VERSION=0.0.0-local
ARG REVISION=unknown
RUN dotnet publish src/Company.Service1/Company.Service1.csproj --no-restore -c Release -r "$RUNTIME_ID" \
        -p:PublishAot=true -p:Version="$VERSION" -p:SourceRevisionId="$REVISION" -o /app \
    && rm -f /app/*.dbg /app/*.pdb

# ---- final images -----------------------------------------------------------------------------------------------
# Files stay owned by root: the service (uid 1654) can read but never change its own code.
# HEALTHCHECK runs the binary's own probe (GET /livez on the first ASPNETCORE_HTTP_PORTS port): distroless
# images have no curl or shell. The service handles SIGTERM by draining (readiness 503, keep serving for
# Drain__DelaySeconds, finish in-flight requests), so `docker stop -t` must exceed Delay+Timeout (default 30 s).

FROM ${RUNTIME_DEPS_IMAGE} AS aot
ARG RUNTIME_DEPS_IMAGE
ARG VERSION=0.0.0-local
ARG REVISION=unknown
ARG SOURCE_URL=
LABEL org.opencontainers.image.title="Company.Service1" \
      org.opencontainers.image.description="Kubernetes-ready .NET microservice (Native AOT)" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${RUNTIME_DEPS_IMAGE}"
WORKDIR /app
COPY --from=aot-build /app/ ./
USER $APP_UID
EXPOSE 8080 9464
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 CMD ["/app/Company.Service1", "healthcheck"]
ENTRYPOINT ["/app/Company.Service1"]

FROM ${ASPNET_IMAGE} AS jit
ARG ASPNET_IMAGE
ARG VERSION=0.0.0-local
ARG REVISION=unknown
ARG SOURCE_URL=
LABEL org.opencontainers.image.title="Company.Service1" \
      org.opencontainers.image.description="Kubernetes-ready .NET microservice (framework-dependent, ReadyToRun)" \
      org.opencontainers.image.source="${SOURCE_URL}" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${ASPNET_IMAGE}"
WORKDIR /app
COPY --from=jit-build /app/ ./
USER $APP_UID
EXPOSE 8080 9464
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 CMD ["/app/Company.Service1", "healthcheck"]
ENTRYPOINT ["/app/Company.Service1"]
