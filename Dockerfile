# Multi-stage build of the PNT API.
#   docker build -t pnt-api .
#   docker run -p 8080:8080 -v pnt-data:/var/lib/pnt/data pnt-api
# Without DATABASE_URL the container keeps its embedded SQLite database and generated JWT
# secret in the /var/lib/pnt/data volume; set DATABASE_URL=postgres://… for production.

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock rustfmt.toml ./
COPY migrations migrations
COPY src src
COPY tests tests
# System libpq (with TLS) instead of the bundled one the default features compile in.
RUN cargo build --release --locked --no-default-features --bin pnt-api

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/pnt --shell /usr/sbin/nologin pnt \
 && mkdir -p /var/lib/pnt/data \
 && chown -R pnt:pnt /var/lib/pnt
COPY --from=build /src/target/release/pnt-api /usr/local/bin/pnt-api
USER pnt
WORKDIR /var/lib/pnt
ENV PNT_BIND=0.0.0.0:8080 \
    PNT_DATA_DIR=/var/lib/pnt/data \
    RUST_LOG=info
VOLUME ["/var/lib/pnt/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/health || exit 1
ENTRYPOINT ["pnt-api"]
CMD ["serve"]
