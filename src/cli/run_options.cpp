#include "cli/run_options.hpp"
#include "cli/shard_option.hpp"

#include "io/library_log.hpp"
#include "io/pixel_format.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "core/error.hpp"
#include "exec/mpi_session.hpp"
#include "exec/run_description.hpp"
#include "s3/shared_client.hpp"

namespace sw::cli {

namespace {

// --strength X,Y,R: three numbers in [0, 1], comma-separated.
path::Strength parse_strength(const std::string& text) {
  const auto bad = [&] {
    return Error("--strength", "expected X,Y,R, three numbers in [0, 1], got '" + text + "'",
                 ExitCode::usage);
  };
  double v[3] = {};
  std::size_t at = 0;
  for (int k = 0; k < 3; ++k) {
    const std::size_t end = k < 2 ? text.find(',', at) : text.size();
    if (end == std::string::npos) throw bad();
    const char* first = text.data() + at;
    const char* last = text.data() + end;
    const auto [ptr, ec] = std::from_chars(first, last, v[k]);
    if (ec != std::errc() || ptr != last || first == last || !(v[k] >= 0 && v[k] <= 1)) throw bad();
    at = end + 1;
  }
  return {v[0], v[1], v[2]};
}

}  // namespace

// Every default below is read from the library's structs (one set of defaults).
void append_options(std::vector<Option>& t, unsigned groups) {
  const exec::RunOptions d;
  if (groups & kExecGroup) {
    const std::string cores = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
    t.push_back(number_option("--threads", "N",
                              "worker threads; results never depend on it (default: the cores)",
                              cores, 1, 1024));
    t.push_back(number_option("--segment-frames", "N",
                              "target segment length in frames, the unit of parallel work (cut at "
                              "keyframes nearby); 0 = one segment",
                              default_text(static_cast<double>(d.segment_frames)), 0, 1e12));
    t.push_back(text_option("--store", "DIR.zarr",
                            "keep the run's state in a Zarr v2 store, a directory or "
                            "s3://BUCKET/PREFIX (resume after a crash, analyse once, render many "
                            "times); stabilize with several inputs: the directory or prefix of "
                            "one store per input, <stem>.zarr",
                            ""));
    t.push_back(s3_endpoint_option());
    t.push_back(flag_option("--mpi",
                            "spread the segments over MPI ranks (implied when started by mpirun "
                            "or srun): rank 0 runs the command, the others work on segments"));
    t.push_back(text_option("--shard", "K/N", kShardHelp, ""));
    t.push_back(choice_option("--store-compressor", "NAME",
                              "compressor of the store's arrays, in the JSON form zarr-python "
                              "writes",
                              d.store_compressor, exec::store_compressor_names()));
    t.push_back(text_option("--trace", "FILE.json",
                            "write a Chrome trace-event file of where the time went (open it in "
                            "Perfetto or chrome://tracing)",
                            ""));
  }
  if (groups & kAnalysisGroup) {
    t.push_back(number_option("--analysis-width", "PX",
                              "width of the luma used for motion analysis; 0 = full size",
                              default_text(d.motion.analysis_width), 0, 16384));
    t.push_back(choice_option("--analysis-deblock", "ON|OFF",
                              "decode for analysis with the codec's in-loop deblocking filter; "
                              "off is about 20 % faster to decode but measured less steady "
                              "output on 5 of the 8 test clips",
                              on_off(d.analysis_deblock), {"on", "off"}));
    t.push_back(text_option("--ignore", "X,Y,W,H",
                            "measure no motion in this rectangle (a dashboard, an overlay, a "
                            "foreground moving on its own): input pixels (coded size), or all "
                            "four in percent of the width and height (0,80%,100%,20% is the "
                            "bottom fifth); repeatable",
                            ""));
    t.push_back(text_option("--ignore-mask", "MASK.png",
                            "measure no motion where this image (the input's coded size, any "
                            "format OpenCV reads, as grey) is black (below 128), white = "
                            "measured; its content (SHA-256) is an analysis parameter, so a "
                            "store made with another mask refuses the run. Unreadable: exit 1",
                            ""));
    t.push_back(enum_option("--store-frames", "WHAT",
                            "also keep frames in the store: luma at analysis size, or rgb at "
                            "full size (one frame per chunk, like dask.array.to_zarr)",
                            d.store_frames));
  }
  if (groups & kPathGroup) {
    t.push_back(enum_option("--smoother", "NAME",
                            "camera path smoother: l1 = L1-optimal path that keeps the crop "
                            "window inside every frame (Grundmann et al. 2011), ma = moving "
                            "average (--radius), gauss = Gaussian (--sigma)",
                            d.path.smoother));
    t.push_back(number_option("--radius", "N", "moving-average half width in frames (window 2N+1)",
                              default_text(d.path.radius), 0, 100000));
    t.push_back(number_option("--sigma", "N",
                              "Gaussian smoother's standard deviation in frames (truncated at 3 "
                              "sigma)",
                              default_text(d.path.sigma), 0, 100000));
    t.push_back(enum_option("--outliers", "POLICY",
                            "LOF outlier policy: adaptive = wider window for flagged frames, "
                            "recipe = the original script's replacement, none = plain moving "
                            "average",
                            d.path.outliers));
    t.push_back(enum_option("--crop", "MODE",
                            "auto = the smallest zoom per shot that shows no pixel from outside "
                            "the frame, adaptive = a per-frame zoom that varies smoothly and "
                            "never shows one either, none = the fixed --zoom, the rest filled "
                            "by --border, fill = the path of auto but the full picture (zoom 1, "
                            "or --zoom), the uncovered pixels filled from the frames around "
                            "(--fill-radius)",
                            d.path.crop));
    t.push_back(number_option("--zoom", "Z",
                              "fixed zoom about the centre, for --crop none (default " +
                                  default_text(d.path.zoom) +
                                  ") and --crop fill (default 1); at most --max-zoom",
                              default_text(d.path.zoom), 1, 4));
    t.push_back(number_option("--max-zoom", "Z",
                              "the largest zoom of any frame, in every crop mode: the path gives "
                              "up steadiness where it needs more, never shows a border for it",
                              default_text(d.path.max_zoom), 1, 4));
    t.push_back(
        number_option("--crop-zoom", "Z",
                      "l1 smoother: the crop window (the output shrunk by Z, 1..--max-zoom) "
                      "the path must keep inside every frame; a larger Z allows a smoother "
                      "path; 0 = chosen per shot in [1, --max-zoom], the smallest whose path gets "
                      "85 % of the steadiness the --max-zoom window would gain (1 for a shot "
                      "no window makes steadier)",
                      default_text(d.path.l1.crop_zoom), 0, 4));
    t.push_back(
        number_option("--drift", "F",
                      "l1 smoother: follow the camera's slow drift (the camera path "
                      "under a Gaussian of F x the shot's frames, 15..300) and remove the motion "
                      "around it; 0 = hold still against all motion (the paper's path)",
                      default_text(d.path.l1.drift_fraction), 0, 0.99));
    t.push_back(flag_option("--tripod",
                            "hold one still view per shot (a locked-off camera), as far as "
                            "--max-zoom allows; where the camera moves further the view follows "
                            "it only as much as needed, and the run says for how many frames"));
    t.push_back(optional_number_option(
        "--horizon-lock", "DEG",
        "keep the output's roll constant: cancel the camera's accumulated roll, not only its "
        "shake, with each shot's first frame taken as tilted by DEG degrees (counter-clockwise "
        "positive; 0 when left out = level); the crop grows with the roll cancelled, bounded "
        "by --max-zoom",
        "0", -45, 45));
    t.push_back(text_option("--strength", "X,Y,R",
                            "how much of the unwanted motion to remove per axis (x, y, roll), "
                            "each 0..1: 0 keeps the camera's motion on that axis (1,1,0 keeps "
                            "the roll)",
                            default_text(d.path.strength.x) + "," +
                                default_text(d.path.strength.y) + "," +
                                default_text(d.path.strength.a)));
    t.push_back(number_option("--cut-threshold", "S",
                              "scene score (luma histogram distance, 0..1) from which a frame "
                              "pair is a hard cut; shots are smoothed separately; 0 = no cut "
                              "detection",
                              default_text(d.path.cut_threshold), 0, 1));
    t.push_back(choice_option("--repeats", "MODE",
                              "repeated frames (content stretched to a higher rate by showing "
                              "frames again): on = placed where the smooth path is between the "
                              "distinct frames around them, off = treated as any frame",
                              on_off(d.path.repeats), {"on", "off"}));
  }
  if (groups & kRenderGroup) {
    t.push_back(enum_option("--border", "MODE", "fill for pixels that fall outside the frame",
                            d.warp.border));
    t.push_back(number_option("--fill-radius", "K",
                              "--crop fill: fill from up to K frames before and after each "
                              "frame (each worker holds 2K+1 decoded frames: 3.1 MB each at "
                              "1080p, 6.2 MB at 10/12 bits)",
                              default_text(render::kDefaultFillRadius), 1, 120));
    t.push_back(text_option("--encoder", "NAME",
                            "video encoder (any libavcodec encoder), or copy-codec: the input's "
                            "codec family (H.264 libx264, HEVC libx265, VP9 libvpx-vp9, AV1 "
                            "SVT-AV1/libaom) near the input's bit rate",
                            d.encode.encoder));
    t.push_back(text_option("--pix-fmt", "NAME",
                            "encoder pixel format (libav name; yuv420p forces 8-bit); auto = the "
                            "input's chroma at 8 bits, 10 bits for 10/12-bit input",
                            "auto"));
    t.push_back(number_option("--crf", "N", "encoder quality (libx264/libx265)",
                              default_text(d.encode.crf), 0, 51));
    t.push_back(
        text_option("--preset", "NAME", "encoder preset (libx264/libx265)", d.encode.preset));
    t.push_back(text_option("--compare", "FILE.mp4",
                            "also write a side-by-side video, input | stabilized, labelled, with "
                            "the output's timestamps and encoder settings (each half at the "
                            "output's size: twice its width; MP4, video only)",
                            ""));
    t.push_back(number_option("--encoder-threads", "N",
                              "encoder threads per segment; fixed so the output bytes never "
                              "depend on the machine",
                              default_text(d.encode.encoder_threads), 1, 64));
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
    o.shard = shard_from(args);
    o.stop = process_stop_token();
  }
  if (groups & kAnalysisGroup) {
    o.motion.analysis_width = static_cast<int>(args.integer("--analysis-width"));
    o.analysis_deblock = args.text("--analysis-deblock") == "on";
    o.store_frames = enum_value<exec::StoreFrames>(args, "--store-frames");
    for (const std::string& region : args.all("--ignore"))
      o.motion.ignore.push_back(motion::parse_ignore_region(region));
    o.motion.ignore_mask = args.text("--ignore-mask");
    if (!o.motion.ignore_mask.empty())
      o.motion.ignore_mask_sha256 = motion::ignore_mask_sha256(o.motion.ignore_mask);
  }
  if (groups & kPathGroup) {
    o.path.radius = static_cast<int>(args.integer("--radius"));
    o.path.outliers = enum_value<path::OutlierPolicy>(args, "--outliers");
    o.path.zoom = args.real("--zoom");
    o.path.smoother = enum_value<path::SmootherKind>(args, "--smoother");
    o.path.sigma = args.real("--sigma");
    o.path.crop = enum_value<path::Crop>(args, "--crop");
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
    o.path.tripod = args.flag("--tripod");
    o.path.horizon_lock = args.given("--horizon-lock");
    if (o.path.horizon_lock) o.path.horizon_deg = args.real("--horizon-lock");
    o.path.strength = parse_strength(args.text("--strength"));
    // Unusable pairs need half the score (see path/cuts.cpp).
    o.path.cut_threshold_invalid = o.path.cut_threshold / 2;
  }
  if (groups & kRenderGroup) {
    o.warp.border = enum_value<render::Border>(args, "--border");
    const bool fill = (groups & kPathGroup) && args.text("--crop") == "fill";
    o.warp.fill_radius = fill ? static_cast<int>(args.integer("--fill-radius")) : 0;
    o.encode.encoder = args.text("--encoder");
    o.encode.crf = static_cast<int>(args.integer("--crf"));
    o.encode.preset = args.text("--preset");
    const std::string pix_fmt = args.text("--pix-fmt");
    if (pix_fmt != "auto" && !io::known_pixel_format(pix_fmt))
      throw Error("--pix-fmt",
                  "expected a libav pixel format name such as yuv420p10le, got " + pix_fmt,
                  ExitCode::usage);
    o.encode.pix_fmt = pix_fmt == "auto" ? "" : pix_fmt;
    o.encode.encoder_threads = static_cast<int>(args.integer("--encoder-threads"));
  }
  return o;
}

}  // namespace sw::cli
