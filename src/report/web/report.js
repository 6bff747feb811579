// stillwater report page: builds the metrics table, the uPlot charts and the before/after
// frames from the JSON that `stillwater report` embeds in <script id="sw-data">.
// When everything has rendered, <body> gets data-ok="1" plus data-charts (charts built) and
// data-drawn (chart canvases with pixels on them); any script error is appended to
// #sw-errors and counted in data-errors, so a headless browser's --dump-dom can check it.
(function () {
  "use strict";
  const body = document.body;
  let errors = 0;
  function fail(message) {
    errors += 1;
    body.dataset.errors = String(errors);
    body.dataset.ok = "0";
    const box = document.getElementById("sw-errors");
    if (box) box.textContent += message + "\n";
  }
  window.addEventListener("error", (e) => fail("error: " + e.message));
  window.addEventListener("unhandledrejection", (e) => fail("rejection: " + e.reason));

  const data = JSON.parse(document.getElementById("sw-data").textContent);
  const n = data.frames;
  const frames = Array.from({ length: n }, (_, i) => i);
  const deg = (a) => (a == null ? null : (a * 180) / Math.PI);
  const fmt = (v, d) => (v == null || !isFinite(v) ? "–" : Number(v).toFixed(d));
  // Every text goes into the page as text (file names, notes and the store's attributes come
  // from outside): elements are made here, never parsed from strings.
  function el(tag, text, attrs) {
    const e = document.createElement(tag);
    if (text != null) e.textContent = String(text);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  // --- metrics table -------------------------------------------------------------------
  function metricsTable() {
    const cols = [["input", data.planned.input]];
    cols.push(["output (planned)", data.planned.output]);
    if (data.measured) cols.push(["output (measured)", data.measured.output]);
    const summaries = [data.planned];
    if (data.measured) summaries.push(data.measured);
    // [label, getter on a VideoSide or summary, digits, higher is better]
    const rows = [
      ["stability score (min)", (s) => s.stability.overall, 3, true],
      ["stability, translation", (s) => s.stability.translation, 3, true],
      ["stability, rotation", (s) => s.stability.rotation, 3, true],
      ["residual jitter, corners (px)", (s) => s.jitter.corner_px, 2, false],
      ["residual jitter, translation (px)", (s) => s.jitter.translation_px, 2, false],
      ["residual jitter, rotation (°)", (s) => s.jitter.rotation_deg, 3, false],
      ["border fill, mean (%)", (s) => 100 * s.border_fraction.mean, 2, false],
      ["border fill, max (%)", (s) => 100 * s.border_fraction.max, 2, false],
    ];
    const table = document.getElementById("metrics");
    const head = el("tr");
    head.appendChild(el("th", "metric"));
    for (const c of cols) head.appendChild(el("th", c[0]));
    table.appendChild(el("thead")).appendChild(head);
    const tbody = table.appendChild(el("tbody"));
    for (const [label, get, digits, higher] of rows) {
      const base = get(cols[0][1]);
      const tr = tbody.appendChild(el("tr"));
      tr.appendChild(el("td", label));
      cols.forEach((c, i) => {
        const v = get(c[1]);
        const better = i > 0 && isFinite(v) && isFinite(base) && (higher ? v > base + 1e-9 : v < base - 1e-9);
        tr.appendChild(el("td", fmt(v, digits), better ? { class: "better" } : {}));
      });
    }
    for (const [label, key] of [["cropping ratio, mean / worst", "cropping"], ["distortion, mean / worst", "distortion"]]) {
      const tr = tbody.appendChild(el("tr"));
      tr.appendChild(el("td", label));
      tr.appendChild(el("td", "1 / 1"));
      for (const s of summaries) tr.appendChild(el("td", fmt(s[key].mean, 4) + " / " + fmt(s[key].worst, 4)));
    }
  }

  // --- charts ----------------------------------------------------------------------------
  // Scene cuts as thin vertical lines: a uPlot draw hook (a plugin), not a hand-drawn chart.
  function cutsPlugin() {
    return {
      hooks: {
        draw: [
          (u) => {
            if (!data.cuts.length) return;
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = "rgba(140, 60, 200, 0.75)";
            ctx.setLineDash([5, 4]);
            ctx.lineWidth = 1.5 * devicePixelRatio;
            for (const f of data.cuts) {
              const x = Math.round(u.valToPos(f, "x", true));
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
  }
  const marks = (values, flags) => values.map((v, i) => (flags[i] ? v : null));
  const pointsOnly = (color, size, label) => ({
    label,
    stroke: color,
    fill: color,
    paths: () => null,
    points: { show: true, size, stroke: color, fill: color },
  });
  const charts = [];
  // One uPlot chart in its own box; `extra` overrides options (scales, axes).
  function chart(container, title, note, series, columns, yLabel, extra) {
    const box = document.createElement("div");
    box.className = "chart";
    box.appendChild(el("h3", title));
    container.appendChild(box);
    const width = Math.max(320, Math.floor(box.getBoundingClientRect().width) || 600);
    const opts = Object.assign({
      width,
      height: 220,
      scales: { x: { time: false } },
      cursor: { sync: { key: "sw" } },
      axes: [{ label: "frame" }, { label: yLabel, size: 60 }],
      series: [{ label: "frame" }].concat(series),
      plugins: [cutsPlugin()],
    }, extra || {});
    charts.push(new uPlot(opts, [frames].concat(columns), box));
    if (note) {
      const p = document.createElement("p");
      p.className = "note";
      p.textContent = note;
      box.appendChild(p);
    }
  }
  function pathCharts() {
    const c = document.getElementById("charts");
    const axes = [
      ["x", "px", (v) => v],
      ["y", "px", (v) => v],
      ["angle", "degrees", deg],
    ];
    axes.forEach(([name, unit, conv], k) => {
      const raw = data.trajectory.map((r) => conv(r[k]));
      const smooth = data.smoothed.map((r) => conv(r[k]));
      chart(c, "camera path " + name, null,
        [
          { label: "raw", stroke: "#9aa3b2", width: 1.2 },
          { label: "smoothed", stroke: "#2f6fde", width: 2 },
          pointsOnly("#d33f2f", 7, "LOF outlier"),
          pointsOnly("#e59b00", 6, "invalid pair"),
        ],
        [raw, smooth, marks(raw, data.outlier), marks(raw, data.invalid)], unit);
    });
    chart(c, "Local Outlier Factor per frame", "outlier when LOF > " + data.lof_threshold,
      [
        { label: "LOF", stroke: "#5a4bd1", width: 1.2 },
        { label: "threshold", stroke: "#d33f2f", dash: [6, 4], width: 1 },
        pointsOnly("#d33f2f", 7, "outlier"),
      ],
      [data.lof, data.lof.map(() => data.lof_threshold), marks(data.lof, data.outlier)], "LOF");
    const crop = [
      { label: "zoom", stroke: "#2f6fde", width: 2 },
      { label: "cropping ratio (planned)", stroke: "#1f9d55", width: 1.5 },
      { label: "border fill % (planned)", stroke: "#e59b00", width: 1.2, scale: "%" },
    ];
    const cols = [data.zoom, data.planned_cropping, data.planned_border.map((b) => 100 * b)];
    if (data.measured_border) {
      crop.push({ label: "border fill % (measured)", stroke: "#d33f2f", width: 1.2, scale: "%" });
      cols.push(data.measured_border.map((b) => 100 * b));
      crop.push({ label: "cropping ratio (measured)", stroke: "#0a6b36", width: 1, dash: [4, 3] });
      cols.push(data.measured_cropping);
    }
    chart(c, "crop and zoom per frame",
      "cropping ratio: the output → input scale, 1/zoom (Liu et al. 2013); border: share of output pixels filled in",
      crop, cols, "ratio", {
        scales: { x: { time: false }, "%": { auto: true } },
        axes: [{ label: "frame" }, { label: "ratio", size: 60 },
          { label: "border %", side: 1, scale: "%", grid: { show: false } }],
      });
  }

  // --- before / after frames ---------------------------------------------------------------
  function snapshots() {
    const c = document.getElementById("frames");
    if (!data.snapshots.length) {
      c.appendChild(el("p", data.snapshot_note || "no frames", { class: "note" }));
      return;
    }
    for (const s of data.snapshots) {
      const pair = document.createElement("div");
      pair.className = "pair";
      const cap = "frame " + s.frame + (s.outlier ? " (LOF outlier)" : "");
      const sides = [["input", s.before], ["output", s.after]];
      if (s.filled) {
        sides.push(["output, filled from other frames in magenta (" +
          (100 * s.filled_share).toFixed(1) + " % of the picture)", s.filled]);
      }
      for (const [side, jpeg] of sides) {
        const figure = pair.appendChild(el("figure"));
        figure.appendChild(el("img", null, { alt: side + " frame " + s.frame, src: "data:image/jpeg;base64," + jpeg }));
        figure.appendChild(el("figcaption", side + ", " + cap));
      }
      c.appendChild(pair);
    }
  }

  // A canvas counts as drawn when some of its pixels are not transparent.
  function drawn(canvas) {
    if (!canvas.width || !canvas.height) return false;
    const px = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < px.length; i += 4 * 97) if (px[i] !== 0) return true;
    return false;
  }

  try {
    metricsTable();
    pathCharts();
    snapshots();
  } catch (e) {
    fail("render: " + (e && e.stack ? e.stack : e));
  }
  requestAnimationFrame(() => {
    const canvases = Array.from(document.querySelectorAll(".uplot canvas"));
    const count = canvases.filter(drawn).length;
    body.dataset.charts = String(charts.length);
    body.dataset.drawn = String(count);
    if (errors === 0 && count === charts.length && charts.length > 0) body.dataset.ok = "1";
    else if (errors === 0) fail("drawn " + count + " of " + charts.length + " charts");
  });
})();
