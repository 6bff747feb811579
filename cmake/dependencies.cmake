# Every external dependency, found once, as imported targets. All come from Debian packages
# (see README.md for the apt line).
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET
  libavformat libavcodec libavutil libswscale libswresample)
find_package(OpenCV REQUIRED COMPONENTS core imgproc video calib3d videoio imgcodecs)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(MPI REQUIRED COMPONENTS CXX)
