// Browser benchmarks of the designer (./build.sh bench designer): Debian's Chromium driven by playwright-core against the
// built designer (src/VirtFlow.Designer/dist) served by a small local server whose /api answers with generated
// workflows and instances (the browser's work is what is measured, not the server's):
//   - a generated 500-step workflow opened in the editor and laid out (target < 1 s);
//   - a 2,000-step instance view interactive (graph drawn, every step's state applied from the live stream, the main
//     thread free) (target < 2 s);
//   - a 64-branch fan-out that rejoins, repeated 10 times (650 steps): frame times while panning the instance graph;
//   - the bundle's size, gzip.
// Usage: node designer-bench.mjs [--runs N] [--json FILE]
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, existsSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, extname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const designer = join(root, "src", "VirtFlow.Designer");
const dist = join(designer, "dist");
const { chromium } = createRequire(join(designer, "package.json"))("playwright-core");
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf("--runs") + 1] || 3) || 3;
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : join(root, ".artifacts", "bench", "designer.json");
if (!existsSync(join(dist, "index.html"))) {
  console.error(`bench designer: ${dist} has no index.html: run ./build.sh build first`);
  process.exit(2);
}

// ---- generated workflows: parallel groups of branches of log steps --------------------------------------------------
function generate(name, groups, branches, perBranch) {
  const steps = [];
  const yaml = [`name: ${name}`, "version: 1", "steps:"];
  for (let g = 0; g < groups; g++) {
    const children = [];
    yaml.push(`  - id: g${g}`, "    type: parallel", "    branches:");
    for (let b = 0; b < branches; b++) {
      const branch = [];
      yaml.push("      - steps:");
      for (let s = 0; s < perBranch; s++) {
        const id = `g${g}b${b}s${s}`;
        branch.push({ id, type: "log", name: null, explicitId: true, line: yaml.length + 1, column: 11, children: [] });
        yaml.push(`          - id: ${id}`, "            type: log", `            with: { message: "${id}" }`);
      }
      children.push({ slot: `branches.${b}`, steps: branch });
    }
    steps.push({ id: `g${g}`, type: "parallel", name: null, explicitId: true, line: 4, column: 5, children });
  }
  return { name, steps, yaml: yaml.join("\n") + "\n", count: groups * (1 + branches * perBranch) };
}
const flows = {
  gen500: generate("gen500", 20, 3, 8), // 20 + 480 = 500 steps
  gen2000: generate("gen2000", 40, 7, 7), // 40 + 1960 = 2000 steps
  fanout: generate("fanout", 10, 64, 1), // 10 × (1 + 64) = 650 steps: a 64-branch fan-out that rejoins, 10 times
};

function doc(flow) {
  return {
    name: flow.name, kind: "published", version: 1, publishedVersion: 1, eTag: '"v1"', yaml: flow.yaml, definitionHash: "bench",
    description: null, steps: flow.steps, inputs: [], diagnostics: [],
    versions: [{ version: 1, definitionHash: "bench", publishedBy: "bench", publishedAt: "2026-12-07T00:00:00Z", source: null }], draft: null,
  };
}
function leaves(steps, out = []) {
  for (const s of steps) {
    out.push(s.id);
    for (const c of s.children) leaves(c.steps, out);
  }
  return out;
}
function instance(flow) {
  const ids = leaves(flow.steps);
  const at = "2026-12-07T00:00:00.000Z";
  const steps = ids.map(id => ({ path: id, id, type: "log", status: "completed", attempts: 1, startedAt: at, completedAt: at, error: null, progress: null }));
  const events = [{ kind: "InstanceStarted", step: null }];
  for (const id of ids) events.push({ kind: "StepStarted", step: id }, { kind: "StepCompleted", step: id });
  events.push({ kind: "InstanceCompleted", step: null });
  const lines = events.map((e, i) => ({ seq: i + 1, instanceId: `i-${flow.name}`, at, kind: e.kind, step: e.step, message: `${e.kind} ${e.step ?? ""}`, data: null }));
  return {
    detail: { id: `i-${flow.name}`, workflow: flow.name, version: 1, status: "completed", correlationId: null, inputs: {}, outputs: {}, fault: null, createdAt: at, updatedAt: at, steps },
    sse: lines.map(l => `id: ${l.seq}\ndata: ${JSON.stringify(l)}\n\n`).join("") + `event: end\ndata: {"status":"completed","lastSeq":${lines.length}}\n\n`,
  };
}
const instances = Object.fromEntries(Object.values(flows).map(f => [`i-${f.name}`, instance(f)]));

// ---- the server: dist + a generated /api -------------------------------------------------------------------------------
const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".ttf": "font/ttf", ".woff2": "font/woff2", ".json": "application/json" };
const json = (res, body, status = 200) => { res.writeHead(status, { "Content-Type": "application/json" }); res.end(JSON.stringify(body)); };
const server = createServer((req, res) => {
  const url = new URL(req.url, "http://x");
  const p = url.pathname;
  let m;
  if (p === "/api/me") return json(res, { name: "bench", role: "admin" });
  if (p === "/api/workflows") return json(res, Object.values(flows).map(f => ({ name: f.name, publishedVersion: 1, eTag: '"v1"', versions: doc(f).versions, draft: null })));
  if ((m = p.match(/^\/api\/workflows\/([^/]+)(?:\/versions\/\d+)?$/)) && flows[m[1]]) return json(res, doc(flows[m[1]]));
  if (p === "/api/schema") return json(res, { schema: { type: "object" }, activities: [{ type: "log", description: "log", category: "core", allowsExtraInputs: false, inputs: [{ name: "message", type: "string", description: "", required: true, default: null, enum: null, items: null }], outputs: [] }] });
  if (p === "/api/validate") return json(res, { valid: true, errors: 0, warnings: 0, diagnostics: [] });
  if ((m = p.match(/^\/api\/instances\/([^/]+)\/stream$/)) && instances[m[1]]) {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
    return res.end(instances[m[1]].sse);
  }
  if ((m = p.match(/^\/api\/instances\/([^/]+)$/)) && instances[m[1]]) return json(res, instances[m[1]].detail);
  if (p === "/api/instances") return json(res, { items: [], next: null });
  if (p.startsWith("/api/")) return json(res, { title: "Not Found", status: 404, detail: p }, 404);
  const file = join(dist, p === "/" ? "index.html" : p);
  if (file.startsWith(dist) && existsSync(file) && statSync(file).isFile()) {
    res.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
    return res.end(readFileSync(file));
  }
  res.writeHead(404).end();
});
await new Promise(r => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;

// ---- the measures ----------------------------------------------------------------------------------------------------
const browser = await chromium.launch({ executablePath: process.env.VIRTFLOW_CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => sessionStorage.setItem("virtflow.apiKey", "vf_bench"));
  return context.newPage();
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** ms from navigation start until `ready()` holds in the page and a task posted after it has run (main thread free). */
async function timeToInteractive(route, ready) {
  const page = await newPage();
  await page.goto(base + "#" + route, { waitUntil: "commit" });
  await page.waitForFunction(ready, null, { timeout: 30000, polling: "raf" });
  const ms = await page.evaluate(() => new Promise(r => setTimeout(() => r(performance.now()), 0)));
  await page.context().close();
  return ms;
}

/**
 * ms from the hash change that opens `route` inside the running app (signed in, at `from`, the editor's chunk fetched
 * ahead as the app does when idle) until `ready()` holds and a task posted after it has run: what a user waits for
 * when opening a workflow or an instance from the designer's lists.
 */
async function timeInApp(from, route, ready, then = null) {
  const page = await newPage();
  await page.goto(base + "#" + from);
  await page.waitForFunction(() => window.__vfEditorLoaded === true, null, { timeout: 60000 });
  await page.evaluate(r => { window.__t0 = performance.now(); location.hash = "#" + r; }, route);
  await page.waitForFunction(ready, null, { timeout: 30000, polling: "raf" });
  const ms = await page.evaluate(() => new Promise(r => setTimeout(() => r(performance.now() - window.__t0), 0)));
  // What comes after (the YAML editor, made once the graph is drawn and the browser is idle): reported beside it.
  let thenMs = null;
  if (then) {
    await page.waitForFunction(then, null, { timeout: 30000, polling: "raf" });
    thenMs = await page.evaluate(() => new Promise(r => setTimeout(() => r(performance.now() - window.__t0), 0)));
  }
  await page.context().close();
  return then ? { ms, thenMs } : ms;
}

const results = {};
// 1. the editor opens a 500-step workflow and lays it out: its graph's nodes drawn.
try {
  const xs = [];
  for (let i = 0; i < runs; i++)
    xs.push(await timeToInteractive("/workflows/gen500", () => document.querySelectorAll(".react-flow__node").length > 0 && !document.querySelector(".layout-pending")));
  const warm = [], yaml = [];
  for (let i = 0; i < runs; i++) {
    const t = await timeInApp("/workflows", "/workflows/gen500", () => document.querySelectorAll(".react-flow__node").length > 0 && !document.querySelector(".layout-pending"),
      () => !!window.__vfYamlEditor && document.querySelectorAll(".monaco-editor .view-line").length > 0);
    warm.push(t.ms);
    yaml.push(t.thenMs);
  }
  results.open500 = { ms: median(xs), runs: xs, inAppMs: median(warm), inAppRuns: warm, yamlEditorMs: median(yaml), yamlEditorRuns: yaml, target: 1000 };
} catch (e) {
  results.open500 = { error: `the editor drew no graph for gen500 (${String(e.message).split("\n")[0]})` };
}
// 2. the 2,000-step instance view: graph drawn and every state from the stream applied.
{
  const xs = [];
  for (let i = 0; i < runs; i++)
    xs.push(await timeToInteractive("/instances/i-gen2000", () =>
      document.querySelector("[data-testid=instance-status]")?.textContent === "completed" &&
      document.querySelectorAll(".react-flow__node").length > 0 &&
      document.querySelectorAll("[data-testid=journal] li").length > 0));
  const warm = [];
  for (let i = 0; i < runs; i++)
    warm.push(await timeInApp("/instances", "/instances/i-gen2000", () =>
      document.querySelector("[data-testid=instance-status]")?.textContent === "completed" &&
      document.querySelectorAll(".react-flow__node").length > 0 &&
      document.querySelectorAll("[data-testid=journal] li").length > 0));
  results.instance2000 = { ms: median(xs), runs: xs, inAppMs: median(warm), inAppRuns: warm, target: 2000 };
}
// 3. the fan-out ×10 instance view: frame times while panning the graph (and the time to interactive).
{
  const page = await newPage();
  await page.goto(base + "#/instances/i-fanout");
  await page.waitForFunction(() => document.querySelector("[data-testid=instance-status]")?.textContent === "completed" && document.querySelectorAll(".react-flow__node").length > 0);
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = t => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const box = await page.locator(".react-flow__pane").boundingBox();
  const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
  for (let round = 0; round < 3; round++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx - 300, cy - 200, { steps: 40 });
    await page.mouse.move(cx + 300, cy + 200, { steps: 40 });
    await page.mouse.up();
  }
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 10; i++) await page.mouse.wheel(0, i % 2 ? -240 : 240);
  const frames = await page.evaluate(() => { window.__stop = true; return window.__frames.slice(2); });
  const nodes = await page.locator(".react-flow__node").count();
  results.fanout = { frames: frames.length, p50: median(frames), p95: pct(frames, 95), max: Math.max(...frames), nodesInDom: nodes, steps: flows.fanout.count };
  await page.context().close();
}
// 4. the bundle: every JS and CSS file, raw and gzip; the first load (index.html's own) apart from the lazy chunks.
{
  const assets = readdirSync(join(dist, "assets")).filter(f => /\.(js|css)$/.test(f));
  const index = readFileSync(join(dist, "index.html"), "utf8");
  let raw = 0, gz = 0, firstRaw = 0, firstGz = 0;
  for (const f of assets) {
    const b = readFileSync(join(dist, "assets", f));
    const g = gzipSync(b, { level: 9 }).length;
    raw += b.length; gz += g;
    if (index.includes(f)) { firstRaw += b.length; firstGz += g; }
  }
  results.bundle = { files: assets.length, rawKiB: +(raw / 1024).toFixed(1), gzipKiB: +(gz / 1024).toFixed(1), firstLoadRawKiB: +(firstRaw / 1024).toFixed(1), firstLoadGzipKiB: +(firstGz / 1024).toFixed(1) };
}
await browser.close();
server.close();

const ok = (v, t) => (v === undefined ? "n/a" : v < t ? "ok" : "OVER");
console.log("| measure | figure | target |");
console.log("|---|---|---|");
console.log(results.open500.error ? `| 500-step workflow opened and laid out (editor) | ${results.open500.error} | < 1 s |`
  : `| 500-step workflow opened from the list and laid out (editor) | ${results.open500.inAppMs.toFixed(0)} ms in the app (its YAML editor up at ${results.open500.yamlEditorMs.toFixed(0)} ms); ${results.open500.ms.toFixed(0)} ms from a cold page load (medians of ${runs}) | < 1 s ${ok(results.open500.inAppMs, 1000)} (cold ${ok(results.open500.ms, 1000)}) |`);
console.log(`| 2,000-step instance view interactive | ${results.instance2000.inAppMs.toFixed(0)} ms in the app; ${results.instance2000.ms.toFixed(0)} ms from a cold page load (medians of ${runs}) | < 2 s ${ok(results.instance2000.inAppMs, 2000)} (cold ${ok(results.instance2000.ms, 2000)}) |`);
console.log(`| 64-branch fan-out ×10 (650 steps), panning | frame p50 ${results.fanout.p50.toFixed(1)} ms, p95 ${results.fanout.p95.toFixed(1)} ms, max ${results.fanout.max.toFixed(0)} ms over ${results.fanout.frames} frames | p95 < 50 ms ${ok(results.fanout.p95, 50)} |`);
console.log(`| bundle (JS + CSS) | ${results.bundle.gzipKiB} KiB gzip (${results.bundle.rawKiB} KiB raw, ${results.bundle.files} files); first load ${results.bundle.firstLoadGzipKiB} KiB gzip | |`);
mkdirSync(dirname(jsonOut), { recursive: true });
writeFileSync(jsonOut, JSON.stringify(results, null, 2));
