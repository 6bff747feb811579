#include "cli/run_options.hpp"

#include "io/library_log.hpp"

#include <algorithm>
#include <thread>

#include "core/error.hpp"
#include "exec/mpi_session.hpp"
#include "s3/shared_client.hpp"

#include "path/smoother.hpp"

namespace sw::cli {

void append_options(std::vector<Option>& t, unsigned groups) {
  if (groups & kExecGroup) {
    const std::string cores = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
    t.push_back(number_option("--threads", "N",
                              "worker threads; results never depend on it (default: the cores)",
                              cores, 1, 1024));
    t.push_back(number_option("--segment-frames", "N",
                              "target segment length in frames, the unit of parallel work (cut at "
                              "keyframes nearby); 0 = one segment",
                              "240", 0, 1e12));
    t.push_back(text_option("--store", "DIR.zarr",
                            "keep the run's state in a Zarr v2 store, a directory or "
                            "s3://BUCKET/PREFIX (resume after a crash, analyse once, render many "
                            "times)",
                            ""));
    t.push_back(s3_endpoint_option());
    t.push_back(flag_option("--mpi",
                            "spread the segments over MPI ranks (implied when started by mpirun "
                            "or srun): rank 0 runs the command, the others work on segments"));
    t.push_back(choice_option("--store-compressor", "NAME",
                              "compressor of the store's arrays, in the JSON form zarr-python "
                              "writes",
                              "blosc-lz4", {"blosc-lz4", "blosc-zstd", "zstd", "none"}));
    t.push_back(text_option("--trace", "FILE.json",
                            "write a Chrome trace-event file of where the time went (open it in "
                            "Perfetto or chrome://tracing)",
                            ""));
  }
  if (groups & kAnalysisGroup) {
    t.push_back(number_option("--analysis-width", "PX",
                              "width of the luma used for motion analysis; 0 = full size", "640", 0,
                              16384));
    t.push_back(choice_option("--analysis-deblock", "ON|OFF",
                              "decode for analysis with the codec's in-loop deblocking filter; "
                              "off is about 20 % faster to decode but measured less steady "
                              "output on 5 of the 8 test clips",
                              "on", {"on", "off"}));
    t.push_back(choice_option("--store-frames", "WHAT",
                              "also keep frames in the store: luma at analysis size, or rgb at "
                              "full size (one frame per chunk, like dask.array.to_zarr)",
                              "none", {"none", "luma", "rgb"}));
  }
  if (groups & kPathGroup) {
    std::vector<std::string> smoothers;
    for (const auto name : path::smoother_names()) smoothers.emplace_back(name);
    t.push_back(choice_option("--smoother", "NAME",
                              "camera path smoother: l1 = L1-optimal path that keeps the crop "
                              "window inside every frame (Grundmann et al. 2011), ma = moving "
                              "average (--radius), gauss = Gaussian (--sigma)",
                              "l1", smoothers));
    t.push_back(number_option("--radius", "N", "moving-average half width in frames (window 2N+1)",
                              "30", 0, 100000));
    t.push_back(number_option("--sigma", "N",
                              "Gaussian smoother's standard deviation in frames (truncated at 3 "
                              "sigma)",
                              "15", 0, 100000));
    t.push_back(choice_option("--outliers", "POLICY",
                              "LOF outlier policy: adaptive = wider window for flagged frames, "
                              "recipe = the original script's replacement, none = plain moving "
                              "average",
                              "adaptive", {"adaptive", "recipe", "none"}));
    t.push_back(choice_option("--crop", "MODE",
                              "auto = the smallest zoom per shot that shows no pixel from outside "
                              "the frame, adaptive = a per-frame zoom that varies smoothly and "
                              "never shows one either, none = the fixed --zoom, the rest filled "
                              "by --border, fill = the path of auto but the full picture (zoom 1, "
                              "or --zoom), the uncovered pixels filled from the frames around "
                              "(--fill-radius)",
                              "auto", {"auto", "adaptive", "none", "fill"}));
    t.push_back(number_option("--zoom", "Z",
                              "fixed zoom about the centre, for --crop none (default 1.04) and "
                              "--crop fill (default 1); at most --max-zoom",
                              "1.04", 1, 4));
    t.push_back(number_option("--max-zoom", "Z",
                              "the largest zoom of any frame, in every crop mode: the path gives "
                              "up steadiness where it needs more, never shows a border for it",
                              "1.25", 1, 4));
    t.push_back(
        number_option("--crop-zoom", "Z",
                      "l1 smoother: the crop window (the output shrunk by Z, 1..--max-zoom) "
                      "the path must keep inside every frame; a larger Z allows a smoother "
                      "path; 0 = chosen per shot in [1, --max-zoom], the smallest whose path is "
                      "predicted steady enough (1 for a shot that already is)",
                      "0", 0, 4));
    t.push_back(
        number_option("--drift", "F",
                      "l1 smoother: follow the camera's slow drift (the camera path "
                      "under a Gaussian of F x the shot's frames, 15..300) and remove the motion "
                      "around it; 0 = hold still against all motion (the paper's path)",
                      "0.05", 0, 0.99));
    t.push_back(number_option("--cut-threshold", "S",
                              "scene score (luma histogram distance, 0..1) from which a frame "
                              "pair is a hard cut; shots are smoothed separately; 0 = no cut "
                              "detection",
                              "0.4", 0, 1));
    t.push_back(choice_option("--repeats", "MODE",
                              "repeated frames (content stretched to a higher rate by showing "
                              "frames again): on = placed where the smooth path is between the "
                              "distinct frames around them, off = treated as any frame",
                              "on", {"on", "off"}));
  }
  if (groups & kRenderGroup) {
    t.push_back(choice_option("--border", "MODE", "fill for pixels that fall outside the frame",
                              "black", {"black", "replicate", "mirror"}));
    t.push_back(number_option("--fill-radius", "K",
                              "--crop fill: fill from up to K frames before and after each "
                              "frame (each worker holds 2K+1 decoded frames: 3.1 MB each at "
                              "1080p)",
                              "15", 1, 120));
    t.push_back(
        text_option("--encoder", "NAME", "video encoder (any libavcodec encoder)", "libx264"));
    t.push_back(number_option("--crf", "N", "encoder quality (libx264/libx265)", "20", 0, 51));
    t.push_back(text_option("--preset", "NAME", "encoder preset (libx264/libx265)", "veryfast"));
    t.push_back(number_option("--encoder-threads", "N",
                              "encoder threads per segment; fixed so the output bytes never "
                              "depend on the machine",
                              "2", 1, 64));
  }
}

Option s3_endpoint_option() {
  return text_option("--s3-endpoint", "URL",
                     "S3-compatible service for s3:// stores, inputs and outputs, with "
                     "path-style URLs (MinIO, Ceph, R2, ...); overrides AWS_ENDPOINT_URL. "
                     "Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, "
                     "AWS_SESSION_TOKEN; AWS_REGION (default us-east-1)",
                     "");
}

void configure_s3(const Args& args) {
  s3::configure(s3::S3Config::from_environment(args.text("--s3-endpoint")));
}

void append_console_options(std::vector<Option>& t, const std::string& quiet_help) {
  t.push_back(flag_option("--quiet", quiet_help, 'q'));
  t.push_back(flag_option("--verbose", "also show FFmpeg's own log messages on stderr"));
  t.push_back(flag_option("--help", "show this help", 'h'));
}

void apply_verbose(const Args& args) {
  if (args.flag("--verbose")) io::set_library_log(true);
}

exec::RunOptions run_options_from(const Args& args, unsigned groups) {
  exec::RunOptions o;
  if (groups & kExecGroup) {
    o.threads = static_cast<int>(args.integer("--threads"));
    o.segment_frames = args.integer("--segment-frames");
    o.segment_frames_given = args.given("--segment-frames");
    o.store = args.text("--store");
    o.trace = args.text("--trace");
    o.store_compressor = args.text("--store-compressor");
    o.distributor = exec::mpi::distributor();  // null unless MPI was started (start_mpi)
  }
  if (groups & kAnalysisGroup) {
    o.motion.analysis_width = static_cast<int>(args.integer("--analysis-width"));
    o.analysis_deblock = args.text("--analysis-deblock") == "on";
    const std::string frames = args.text("--store-frames");
    o.store_frames = frames == "luma"  ? exec::StoreFrames::luma
                     : frames == "rgb" ? exec::StoreFrames::rgb
                                       : exec::StoreFrames::none;
  }
  if (groups & kPathGroup) {
    o.path.radius = static_cast<int>(args.integer("--radius"));
    const std::string policy = args.text("--outliers");
    o.path.outliers = policy == "recipe" ? path::OutlierPolicy::recipe
                      : policy == "none" ? path::OutlierPolicy::none
                                         : path::OutlierPolicy::adaptive;
    o.path.zoom = args.real("--zoom");
    o.path.smoother = path::smoother_kind(args.text("--smoother")).value_or(path::SmootherKind::l1);
    o.path.sigma = args.real("--sigma");
    const std::string crop = args.text("--crop");
    o.path.crop = crop == "adaptive" ? path::Crop::adaptive
                  : crop == "none"   ? path::Crop::none
                  : crop == "fill"   ? path::Crop::fill
                                     : path::Crop::automatic;
    // Full frame keeps the whole picture unless a zoom is asked for.
    if (o.path.crop == path::Crop::fill && !args.given("--zoom")) o.path.zoom = 1;
    o.path.max_zoom = args.real("--max-zoom");
    o.path.l1.crop_zoom = args.real("--crop-zoom");
    const std::string up_to = args.text("--max-zoom") + " (--max-zoom)";
    // The table's range is [0, 4]; below 1 only 0 (auto) means something.
    if (o.path.l1.crop_zoom != 0 &&
        (o.path.l1.crop_zoom < 1 || o.path.l1.crop_zoom > o.path.max_zoom)) {
      throw Error("--crop-zoom",
                  "expected 0 or a value in [1, " + up_to + "], got " + args.text("--crop-zoom"),
                  ExitCode::usage);
    }
    if ((o.path.crop == path::Crop::none || o.path.crop == path::Crop::fill) &&
        o.path.zoom > o.path.max_zoom) {
      throw Error("--zoom", "expected a value up to " + up_to + ", got " + args.text("--zoom"),
                  ExitCode::usage);
    }
    o.path.l1.drift_fraction = args.real("--drift");
    o.path.cut_threshold = args.real("--cut-threshold");
    o.path.repeats = args.text("--repeats") == "on";
    // Unusable pairs need half the score (see path/cuts.cpp).
    o.path.cut_threshold_invalid = o.path.cut_threshold / 2;
  }
  if (groups & kRenderGroup) {
    const std::string border = args.text("--border");
    o.warp.border = border == "replicate" ? render::Border::replicate
                    : border == "mirror"  ? render::Border::mirror
                                          : render::Border::black;
    const bool fill = (groups & kPathGroup) && args.text("--crop") == "fill";
    o.warp.fill_radius = fill ? static_cast<int>(args.integer("--fill-radius")) : 0;
    o.encode.encoder = args.text("--encoder");
    o.encode.crf = static_cast<int>(args.integer("--crf"));
    o.encode.preset = args.text("--preset");
    o.encode.encoder_threads = static_cast<int>(args.integer("--encoder-threads"));
  }
  return o;
}

}  // namespace sw::cli
