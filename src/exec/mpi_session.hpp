// Running one command on MPI ranks: `mpirun -np N stillwater stabilize IN -o OUT`.
//
// Rank 0 runs the command as a single process would (prepare, analysis, path, render, the
// summary); each pass's segments are spread by the SegmentDistributor below. The other ranks
// only serve: they wait for a pass from rank 0, take its job (input path, frame index, plan,
// parameters, corrections: exec/job_codec.hpp), and ask rank 0 for segments one at a time,
// sending each finished segment's result with the next request. So a slow rank simply does
// fewer segments, rank 0's own threads work on segments too, every result is placed by rank 0
// (store, pieces beside the output), and the bytes are those of a single process.
//
// Threads and MPI: MPI_THREAD_SERIALIZED. On rank 0 only the dispatcher thread calls MPI while
// a pass runs (the main thread is then inside the workers or joining them); on the other ranks
// the workers' requests are round trips made one at a time under a mutex. Waits poll with a
// short sleep instead of spinning, so an idle rank leaves its core to the workers.
//
// Failure: a rank whose segment fails sends the error to rank 0, which stops handing out
// segments, lets the others finish the segment they hold and fails the run with that rank's
// message; every rank then exits with rank 0's exit code. A rank that dies (killed, crashed)
// is noticed by mpirun, which ends the whole job with a non-zero exit code; rank 0 never waits
// for it. Finished segments stay staged in the store, so the same command resumes.
//
// Only this header's .cpp includes mpi.h. Without --mpi and outside mpirun nothing here calls
// MPI, so a single process never loads or initialises it.
#pragma once

#include <string>

#include "core/cancel.hpp"
#include "exec/segment_queue.hpp"

namespace sw::exec::mpi {

// True when an MPI launcher started this process (OMPI_COMM_WORLD_SIZE, PMIX_RANK or PMI_RANK
// is set: mpirun, or srun with PMIx/PMI2).
bool launched();

// Initialises MPI when `requested` (--mpi) or launched(); returns whether it did. Throws
// sw::Error when the MPI library cannot give MPI_THREAD_SERIALIZED.
bool start(bool requested);
bool active();
int rank();
int size();
// "[rank K on host H] " when more than one rank runs, else "": what a warning starts with to
// say where it arose (the other ranks' warnings reach rank 0 with theirs).
std::string warning_origin();

// Rank 0, after a run failed: whether the other ranks are back waiting for a pass (or MPI is
// not in use), so that another run may follow (batch stabilize goes on with the next file).
// False once an MPI call failed or a pass ended without the other ranks' last word.
bool ready_for_next_pass();

// Rank 0: the distributor for RunOptions (with one rank it runs everything here).
SegmentDistributor* distributor();

// Ranks > 0: serves rank 0's passes until rank 0 finishes (returns 0) or stops after an error
// (returns rank 0's exit code); `stop` interrupts a pass. Finalises MPI.
int serve(StopToken stop);

// Rank 0, after a successful run: ends the other ranks, merges their trace events and totals
// into this process's (trace::merge, events shifted onto rank 0's clock), finalises MPI.
// Returns a per-stage table for each rank (for --verbose).
std::string finish(double run_wall_seconds);

// After an error (cli/main.cpp, once the error is printed): when the other ranks are waiting
// for a pass they are told to exit with `exit_code`; otherwise the job is aborted
// (MPI_Abort). Does nothing when MPI is not active.
void stop_after_error(int exit_code);

}  // namespace sw::exec::mpi
