// A manual browser smoke run of the editor against a running server (admin key): sign in, open copy-disks-pivot,
// edit a property, insert by palette click and by drag onto an edge, a validation error on a node, undo, reload
// (restored edit), save, a second tab saving first (conflict dialog, overwrite), publish, history, a 500-step workflow.
// VF_URL=http://127.0.0.1:8080/ VF_KEY=vf_... node scripts/smoke.mjs (Debian chromium at /usr/bin/chromium).
// The counted browser tests are tests/VirtFlow.Designer.Tests (designer-run); this is a development aid.
import { chromium } from "playwright-core";
import { mkdirSync, readFileSync } from "node:fs";
const key = process.env.VF_KEY ?? readFileSync(process.env.VF_KEY_FILE ?? "admin.key", "utf8").trim();
const base = process.env.VF_URL ?? "http://127.0.0.1:8080/";
const shots = (process.env.VF_SHOTS ?? "test-results/smoke") + "/"; mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
const errors = []; const run = Date.now() % 100000;
page.on("pageerror", e => errors.push("pageerror: " + e.message));
page.on("console", m => { if (m.type() === "error") errors.push("console: " + m.text()); });
const step = async (name, fn) => { const t = Date.now(); try { await fn(); console.log("ok", name, Date.now() - t, "ms"); } catch (e) { console.log("FAIL", name, e.message.split("\n")[0]); await page.screenshot({ path: shots + "fail-" + name + ".png" }); } };
await page.goto(base);
await step("signin", async () => {
  await page.getByTestId("signin-key").fill(key);
  await page.getByTestId("signin-submit").click();
  await page.getByTestId("workflow-list").waitFor({ timeout: 10000 });
});
await step("open copy-disks-pivot", async () => {
  await page.getByTestId("workflow-row-copy-disks-pivot").locator("a").click();
  await page.locator('[data-testid=graph][data-layout-ready=true]').waitFor({ timeout: 15000 });
  await page.getByTestId("node-mirror").waitFor();
  await page.getByTestId("validation-status").filter({ hasText: "valid" }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: shots + "1-open.png" });
});
await step("select and edit a property", async () => {
  await page.getByTestId("node-wait").click();
  await page.getByTestId("field-with.timeout").waitFor();
  await page.getByTestId("field-with.timeout").fill("${ inputs.readyTimeout } " + run);
  await page.getByTestId("editor-dirty").filter({ hasText: "unsaved" }).waitFor();
  const yaml = await page.evaluate(() => window.__vfYamlEditor.getValue());
  if (!yaml.includes(String(run))) throw new Error("yaml not updated: " + yaml.split("\n").find(l => l.includes("timeout:")));
  await page.screenshot({ path: shots + "2-edit.png" });
});
await step("palette click inserts after selected", async () => {
  await page.getByTestId("palette-search").fill("log");
  await page.getByTestId("palette-item-log").click();
  await page.getByTestId("node-log").waitFor({ timeout: 5000 });
  await page.getByTestId("field-with.message").fill("hello ${ inputs.vm }");
  await page.getByTestId("field-with.message-expr").waitFor();
});
await step("drag onto edge", async () => {
  await page.getByTestId("palette-search").fill("delay");
  const edge = page.locator('[data-testid^="edge-insert-__start-"]');
  await page.getByTestId("palette-item-delay").dragTo(edge);
  await page.getByTestId("node-delay").waitFor({ timeout: 5000 });
  await page.screenshot({ path: shots + "3-insert.png" });
});
await step("validation error on node", async () => {
  await page.getByTestId("node-delay").click();
  await page.getByTestId("field-id").fill("mirror");
  await page.getByTestId("validation-status").filter({ hasText: "error" }).waitFor({ timeout: 10000 });
  await page.locator('[data-testid=node-error]').first().waitFor();
  await page.screenshot({ path: shots + "4-error.png" });
});
await step("undo", async () => {
  await page.locator(".react-flow__pane").click();
  await page.getByTestId("undo").click();
  await page.getByTestId("validation-status").filter({ hasText: /^valid$/ }).waitFor({ timeout: 10000 });
});
await step("reload keeps the edit", async () => {
  await page.waitForTimeout(1500);
  await page.reload();
  await page.getByTestId("restored-banner").waitFor({ timeout: 15000 });
  const yaml = await page.evaluate(() => window.__vfYamlEditor?.getValue() ?? "");
  if (!yaml.includes("hello ${ inputs.vm }")) throw new Error("restored text lacks the edit");
});
await step("save and conflict", async () => {
  await page.getByTestId("save-button").click();
  await page.getByTestId("editor-notice").filter({ hasText: "saved" }).waitFor({ timeout: 10000 });
  // second tab saves after us
  const page2 = await browser.newPage();
  await page2.goto(base);
  await page2.evaluate(k => sessionStorage.setItem("virtflow.apiKey", k), key);
  await page2.goto(base + "#/workflows/copy-disks-pivot"); await page2.reload();
  await page2.getByTestId("node-mirror").waitFor({ timeout: 15000 });
  await page2.getByTestId("node-mirror").click();
  await page2.getByTestId("field-name").fill("second tab " + run);
  console.log("  page2 open");
  await page2.getByTestId("save-button").click();
  await page2.screenshot({ path: shots + "p2.png" });
  await page2.getByTestId("editor-notice").waitFor({ timeout: 10000 });
  console.log("  page2 saved");
  await page.getByTestId("node-pivot").click();
  await page.getByTestId("field-name").fill("first tab " + run);
  await page.getByTestId("save-button").click();
  await page.getByTestId("conflict-dialog").waitFor({ timeout: 10000 });
  await page.screenshot({ path: shots + "5-conflict.png" });
  await page.getByTestId("conflict-overwrite").click();
  await page.getByTestId("conflict-dialog").waitFor({ state: "detached", timeout: 10000 });
});
await step("publish and history", async () => {
  await page.getByTestId("publish-button").click();
  await page.getByTestId("editor-notice").filter({ hasText: "Published" }).waitFor({ timeout: 15000 });
  await page.getByTestId("history-button").click();
  await page.getByTestId("diff-summary").waitFor({ timeout: 15000 });
  await page.screenshot({ path: shots + "6-history.png" });
  await page.getByTestId("history-close").click();
});
await step("500 steps", async () => {
  const lines = ["name: big500", "steps:"];
  for (let i = 0; i < 500; i++) lines.push(`  - id: s${i}`, "    type: log", "    with:", `      message: "step ${i}"`);
  const r = await page.evaluate(async ([k, y]) => (await fetch("/api/workflows/big500/draft", { method: "PUT", headers: { "X-Api-Key": k, "Content-Type": "application/yaml", "If-None-Match": "*" }, body: y })).status, [key, lines.join("\n") + "\n"]);
  const t = Date.now();
  await page.goto(base + "#/workflows/big500");
  await page.locator('[data-testid=graph][data-layout-ready=true]').waitFor({ timeout: 20000 });
  console.log("  PUT", r, "open+layout", Date.now() - t, "ms", await page.getByTestId("layout-ms").textContent());
  await page.screenshot({ path: shots + "7-big.png" });
});
console.log(errors.slice(0, 10).join("\n"));
await browser.close();
