# ctest labels, and the timeout (seconds) each label gives its tests. Every test has one of
# unit, e2e, mpi and s3; the e2e tests that need Chromium have browser as well (and its
# timeout). A timeout is a hang detector, not a benchmark: each is 5-10 times the slowest test
# of its label on a 2-core machine at load 13-16 (2026-12-07): unit 11 s under ASan+UBSan,
# e2e 44 s, mpi 12 s, s3 9 s, browser 11 s.
#   unit     one stage's code in-process, and the fuzz corpus replays (these also run under
#            ASan+UBSan: scripts/test-sanitized.sh)
#   e2e      the stillwater binary on generated clips
#   mpi      stillwater on MPI ranks (mpirun)
#   s3       S3 stores, inputs and outputs against servers the tests start
#   browser  the HTML report in headless Chromium
# Select with `ctest -L LABEL`, leave out with `ctest -LE LABEL` (e.g. -LE browser where
# there is no Chromium).
set(SW_TEST_TIMEOUT_unit 60)
set(SW_TEST_TIMEOUT_e2e 300)
set(SW_TEST_TIMEOUT_mpi 300)
set(SW_TEST_TIMEOUT_s3 120)
set(SW_TEST_TIMEOUT_browser 120)

# Every binary with unit tests (tests/CMakeLists.txt's sw_add_test) and each fuzz replay
# (fuzz/CMakeLists.txt): the sanitized build (scripts/test-sanitized.sh) builds this target
# alone.
if(NOT TARGET unit_tests)
  add_custom_target(unit_tests)
endif()

