# shop-sandbox in a container.
#
#   docker build -t shop-sandbox .          (or: podman build --format docker -t shop-sandbox .)
#   docker run --rm -p 8000:8000 shop-sandbox
#
# Every setting is a SHOP_SANDBOX_* variable (mockserver/settings.py): -e SHOP_SANDBOX_PORT=9000,
# -e SHOP_SANDBOX_SEED=7, -e SHOP_SANDBOX_LOG_FORMAT=json ... The health check follows
# SHOP_SANDBOX_HOST and SHOP_SANDBOX_PORT, so another port stays healthy.
#
# BASE: any Debian-like image whose python3 (3.11 or newer) has the venv module: the official
# python:3.12-slim by default; scripts/container-smoke builds on a debootstrap'd Debian instead
# (Debian's own python3 and python3-venv), since CI machines reach no image registry.
ARG BASE=python:3.12-slim

# ---- build: the package and its dependencies, installed (not editable) into a venv ----------------
FROM ${BASE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
# Only what the wheel is built from: setup.py maps fixtures/ and contracts/ into mockserver/_data.
COPY pyproject.toml setup.py README.md /src/
COPY fixtures /src/fixtures
COPY contracts /src/contracts
COPY mockserver /src/mockserver
# pip compiles the bytecode at install time (the runtime user cannot write to the venv), then
# leaves the venv: nothing at run time installs anything.
RUN python3 -m venv /opt/shop-sandbox \
 && /opt/shop-sandbox/bin/python -m pip install /src \
 && /opt/shop-sandbox/bin/python -m pip uninstall -y -q pip setuptools \
 && /opt/shop-sandbox/bin/shop-sandbox --version

# ---- run: the base plus the venv, as a user that is not root -------------------------------------
FROM ${BASE}
LABEL org.opencontainers.image.title="shop-sandbox" \
      org.opencontainers.image.description="A local sandbox of Shopee Open Platform v2, 1shop API v1 and SHOPLINE webhooks" \
      org.opencontainers.image.licenses="MIT"
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/shop-sandbox \
            --shell /usr/sbin/nologin shop-sandbox \
 && mkdir -m 755 /world \
 && install -d -o 10001 -g 10001 -m 755 /state
# The same base in both stages, so the venv's python3 link points at the same interpreter.
COPY --from=build /opt/shop-sandbox /opt/shop-sandbox
# SHOP_SANDBOX_HOST: bind every interface inside the container (the default 127.0.0.1 would be
# unreachable through a published port). PYTHONUNBUFFERED: console lines reach `docker logs` at once.
# SHOP_SANDBOX_WORLD: the world files of a directory mounted at /world (-v ./world:/world:ro) are
# applied at start and after every reset; the image's own /world is empty (the seeded world alone).
# /state (the container's user may write it) is for -e SHOP_SANDBOX_STATE_DIR=/state -v NAME:/state:
# the world kept across restarts; off unless asked, as LocalStack's persistence is.
ENV PATH=/opt/shop-sandbox/bin:$PATH \
    SHOP_SANDBOX_WORLD=/world \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SHOP_SANDBOX_HOST=0.0.0.0 \
    SHOP_SANDBOX_PORT=8000
USER 10001:10001
WORKDIR /home/shop-sandbox
# The default seed's Faker pools, drawn now into ~/.cache/shop-sandbox (core/faker_cache.py): a
# start then never imports Faker (a fifth of it). Another SHOP_SANDBOX_SEED draws its own once.
RUN shop-sandbox credentials > /dev/null && ls /home/shop-sandbox/.cache/shop-sandbox/faker/ > /dev/null
EXPOSE 8000
# `shop-sandbox health` reads SHOP_SANDBOX_HOST/PORT (0.0.0.0 -> 127.0.0.1): no curl needed, and
# -e SHOP_SANDBOX_PORT=9000 stays healthy. Exit 0 healthy, 1 not.
HEALTHCHECK --interval=5s --timeout=5s --start-period=30s --retries=3 CMD ["shop-sandbox", "health"]
# Exec form: `shop-sandbox serve` is PID 1 and gets SIGTERM/SIGINT itself; it stops accepting,
# lets requests in flight finish (SHOP_SANDBOX_DRAIN_SECONDS, default 5) and exits 0.
# `docker run IMAGE credentials` or `IMAGE serve --strict` run another subcommand or add flags.
ENTRYPOINT ["shop-sandbox"]
CMD ["serve"]
