# stillwater in a container, in two stages: "build" compiles on Debian 12 with the -dev
# packages and makes the Debian package (cpack, docs/building.md); the runtime image installs
# that package, so apt pulls in exactly the libraries dpkg-shlibdeps found in the binary, and
# nothing for building or testing. It is also the image of every pod of an MPIJob
# (docs/cluster.md): it has mpirun, and sshd for the MPI Operator's launcher to start ranks on
# the workers.
#
#   docker build -t stillwater:0.1 .
#   docker run --rm -v "$PWD:/data" stillwater:0.1 stabilize /data/in.mp4 -o /data/out.mp4

FROM debian:12 AS build
ENV DEBIAN_FRONTEND=noninteractive
# The build half of scripts/install-deps.sh's apt line (no test or benchmark packages;
# pybind11-dev and python3-dev build the Python module into the package), npm for the report's pinned web assets (uPlot), and file + dpkg-dev for cpack's
# dpkg-shlibdeps.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev \
  libopencv-dev libopenmpi-dev libcurl4-openssl-dev libssl-dev libblosc-dev libzstd-dev \
  nlohmann-json3-dev pkg-config cmake ninja-build g++ git npm ca-certificates file dpkg-dev \
  pybind11-dev python3-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src/stillwater
COPY . .
# Build trees and node_modules of a developer checkout must not leak into the image's build.
# RelWithDebInfo (-O2), the configuration the tests run (scripts/build.sh); cpack strips the
# debug info. (At -O3 GCC 12 also warns falsely, -Wrestrict on "literal" + std::string.)
RUN rm -rf build build-* src/report/web/node_modules \
 && npm ci --prefix src/report/web --no-audit --no-fund \
 && cmake -S . -B /tmp/build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DSW_BUILD_TESTS=OFF -DSW_BUILD_BENCH=OFF \
 && cmake --build /tmp/build \
 && cd /tmp/build && cpack -G DEB \
 && mkdir /out && cp stillwater_*.deb /out/

FROM debian:12-slim
ENV DEBIAN_FRONTEND=noninteractive
COPY --from=build /out/ /tmp/deb/
# The package (its Depends: the runtime libraries only), Open MPI's mpirun and ssh for MPI
# across pods, CA certificates for S3 over HTTPS, and python3-numpy for `import stillwater`
# (the module is in /usr/lib/python3/dist-packages; dpkg-shlibdeps cannot see that it needs
# Python and numpy).
RUN apt-get update \
 && apt-get install -y --no-install-recommends /tmp/deb/stillwater_*.deb \
  openmpi-bin openssh-server openssh-client ca-certificates python3-numpy \
 && rm -rf /var/lib/apt/lists/* /tmp/deb \
 && mkdir -p /run/sshd \
 && ln -s /usr/bin/stillwater /usr/local/bin/stillwater
# (The package installs /usr/bin/stillwater; the link keeps the path docs/cluster.md's
# MPIJob names, where earlier images had it.)

# Containers usually run as root; Open MPI refuses that unless told (see docs/cluster.md).
ENV OMPI_ALLOW_RUN_AS_ROOT=1 \
    OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

WORKDIR /data
ENTRYPOINT ["/usr/bin/stillwater"]
CMD ["--help"]
