# stillwater in a container: Debian 12, the packages of scripts/install-deps.sh, a Release
# build, the binary on PATH. Also the image of every pod of an MPIJob (docs/cluster.md): it has
# mpirun, and sshd for the MPI Operator's launcher to start ranks on the workers.
#
#   docker build -t stillwater:0.1 .
#   docker run --rm -v "$PWD:/data" stillwater:0.1 stabilize /data/in.mp4 -o /data/out.mp4
FROM debian:12

ENV DEBIAN_FRONTEND=noninteractive
# The apt line of scripts/install-deps.sh (build, test and Python tools), plus npm for the
# report's pinned web assets and ssh for MPI across pods.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev ffmpeg \
  libopencv-dev libopenmpi-dev openmpi-bin libcurl4-openssl-dev libssl-dev libblosc-dev libzstd-dev \
  coinor-libclp-dev \
  nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev \
  python3-zarr python3-dask python3-numcodecs python3-boto3 pkg-config cmake ninja-build g++ \
  clang-format \
  npm ca-certificates openssh-server openssh-client \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /run/sshd

WORKDIR /src/stillwater
COPY . .
# Build trees of a developer checkout must not leak into the image's build.
RUN rm -rf build build-* \
 && if [ -f src/report/web/package-lock.json ]; then \
      npm ci --prefix src/report/web --no-audit --no-fund; fi \
 && cmake -S . -B /tmp/build -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSW_BUILD_TESTS=OFF -DSW_BUILD_BENCH=OFF \
 && cmake --build /tmp/build --target stillwater \
 && install -m 0755 /tmp/build/src/cli/stillwater /usr/local/bin/stillwater \
 && rm -rf /tmp/build

# Containers usually run as root; Open MPI refuses that unless told (see docs/cluster.md).
ENV OMPI_ALLOW_RUN_AS_ROOT=1 \
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

WORKDIR /data
ENTRYPOINT ["/usr/local/bin/stillwater"]
CMD ["--help"]
