// The web console in a real browser: Debian's Chromium (/usr/bin/chromium, or PGENRM_CHROMIUM) driven by the pinned
// playwright-core against the real host on loopback. Each page is exercised as a person would (labels, buttons) and
// photographed into .testresults/console-*.png. Run by .ci/run:
//   node --test --test-reporter=junit --test-reporter-destination=.testresults/browser.junit.xml tests/browser/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startHost, repoRoot } from "./host.mjs";

const ADMIN = "browser-admin-key-0123456789";
const shots = join(repoRoot, ".testresults");
const executablePath = process.env.PGENRM_CHROMIUM ?? "/usr/bin/chromium";
let host, browser, page;

async function api(method, path, body, key) {
  const r = await fetch(host.base + path, { method, headers: { "X-Api-Key": key, "Content-Type": "application/json" }, body: body && JSON.stringify(body) });
  const text = await r.text();
  assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}
/** The page section of one console page (every page has a "User id" field). */
const on = (name) => page.locator(`#page-${name}`);
const shot = (name) => page.screenshot({ path: join(shots, `console-${name}.png`), fullPage: true });

before(async () => {
  mkdirSync(shots, { recursive: true });
  host = await startHost({ adminKey: ADMIN });
  // Four users with one pair each, so the map has prototypes to draw after a re-clustering pass.
  for (const [i, user] of ["alice", "bob", "carol", "dave"].entries()) {
    await api("POST", `/v1/tenants/demo/users/${user}/feedback`,
      { id: "seed", query: "How do I reverse a list in Python?", chosen: i % 2 ? "Reversing is a deep topic worth a long essay." : "Use xs[::-1].", rejected: i % 2 ? "Use xs[::-1]." : "Reversing is a deep topic worth a long essay." }, host.demoKey);
  }
  browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.setDefaultTimeout(60_000);
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  if (host) assert.equal(await host.stop(), 0, "the host exits 0 on SIGTERM");
}, { timeout: 90_000 });

test("root redirects to the console, which asks for a key", async () => {
  await page.goto(host.base + "/");
  assert.equal(new URL(page.url()).pathname, "/console/");
  assert.ok(await page.getByRole("heading", { name: "Sign in" }).isVisible());
  assert.equal(await page.getByRole("navigation", { name: "Pages" }).isVisible(), false);
});

test("a wrong key shows the API's problem details and does not sign in", async () => {
  await page.getByLabel("API key").fill("demo.wrong-secret");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /Unauthorized[\s\S]*401[\s\S]*The API key is not valid\./);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("pgenrm.key")), null);
  await shot("signin-error");
});

test("sign in with the tenant key: kept in session storage, never in the URL", async () => {
  await page.getByLabel("API key").fill(host.demoKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Score candidates for a user" }).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("pgenrm.key")), host.demoKey);
  assert.ok(!page.url().includes(host.demoKey.split(".")[1]));
  assert.equal(await page.getByRole("alert").isVisible(), false);
  assert.match(await page.locator("#who").innerText(), /Tenant demo/);
});

test("score: rewards and the chain (persona, weighted rubric, 1-10 scores, scaling)", async () => {
  await on("score").getByLabel("User id").fill("alice");
  await page.getByRole("button", { name: "Score" }).click();
  await page.locator("#chain-scaling").waitFor();
  assert.equal(await page.locator("#score-summary .rewards li").count(), 2);
  assert.match(await page.locator("#chain-persona p").innerText(), /this user prefers/);
  const weights = await page.locator("#chain-rubric .rubric .num").allInnerTexts();
  assert.equal(weights.length, 5);
  assert.equal(weights.map(Number).reduce((a, b) => a + b, 0), 100);
  const rows = page.locator("#chain-scores tbody tr");
  assert.equal(await rows.count(), 2);
  for (const cell of await page.locator("#chain-scores tbody td .score").allInnerTexts()) {
    const s = Number(cell.trim());
    assert.ok(s >= 1 && s <= 10, `criterion score ${cell} within 1-10`);
  }
  assert.match(await page.locator("#chain-scaling").innerText(), /Individual[\s\S]*Prototype[\s\S]*content \d+%/);
  await shot("score");
});

test("score with a query above the tenant's maxTextLength shows the 400 naming the field", async () => {
  const query = on("score").getByLabel("Query");
  const original = await query.inputValue();
  await query.fill("x".repeat(8200));
  await page.getByRole("button", { name: "Score" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /Invalid request[\s\S]*400[\s\S]*'query'/);
  await shot("score-error");
  await query.fill(original);
});

test("profile: counts of a user", async () => {
  await page.getByRole("link", { name: "Profile" }).click();
  await on("profile").getByLabel("User id").fill("alice");
  await page.getByRole("button", { name: "Show profile" }).click();
  await page.locator("#profile-counts").waitFor();
  assert.match(await page.locator("#profile-counts").innerText(), /Feedback items\s+1\b/);
  assert.match(await page.locator("#profile-counts").innerText(), /Collaborative prior strength \(the tenant's\)\s+none yet/);
  await shot("profile");
});

test("feedback: choosing the better response raises the count", async () => {
  await page.getByRole("link", { name: "Feedback" }).click();
  await on("feedback").getByLabel("User id").fill("alice");
  await on("feedback").getByLabel("User id").dispatchEvent("change");
  await page.waitForFunction(() => document.getElementById("feedback-count").textContent === "1");
  await page.getByRole("button", { name: "A is better" }).click();
  await page.waitForFunction(() => document.getElementById("feedback-count").textContent === "2");
  assert.match(await page.locator("#feedback-receipt").innerText(), /applied[\s\S]*count is now 2/);
  await page.getByRole("button", { name: "B is better" }).click();
  await page.waitForFunction(() => document.getElementById("feedback-count").textContent === "3");
  const profile = await api("GET", "/v1/tenants/demo/users/alice/profile", undefined, host.demoKey);
  assert.equal(profile.feedbackCount, 3);
  await shot("feedback");
});

test("prototype map: drawn as an SVG picture after a re-clustering pass", async () => {
  // The four seeded users' joins reach the prototypes after their acknowledgments (within seconds): re-cluster
  // through the API until a pass sees all four, then draw the map from the console.
  for (let i = 0; ; i++) {
    const pass = await api("POST", "/v1/tenants/demo/prototypes/recluster", undefined, host.demoKey);
    if (pass.points.reduce((a, p) => a + p.size, 0) === 4) break;
    assert.ok(i < 40, `a re-clustering pass never saw the 4 seeded users: ${JSON.stringify(pass)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.getByRole("link", { name: "Prototype map" }).click();
  await page.getByRole("button", { name: "Re-cluster now" }).click();
  await page.locator("#map-svg").waitFor();
  const map = await api("GET", "/v1/tenants/demo/prototypes/map", undefined, host.demoKey);
  assert.ok(map.points.length >= 1);
  assert.equal(await page.locator("#map-svg circle").count(), map.points.length);
  const members = map.points.reduce((a, p) => a + p.size, 0);
  assert.equal(members, 4);
  assert.match(await page.locator("#map-title").textContent(), new RegExp(`${map.points.length} prototypes, 4 users`));
  await shot("map");
});

test("tenant page shows the settings", async () => {
  await page.getByRole("link", { name: "Tenant" }).click();
  await page.locator("#tenant-result table").waitFor();
  assert.match(await page.locator("#tenant-result").innerText(), /maxCandidates\s+64/);
  await shot("tenant");
});

test("admin key: create a tenant with settings, its key shown once", async () => {
  await page.getByRole("button", { name: "Sign out" }).click();
  assert.equal(await page.evaluate(() => sessionStorage.getItem("pgenrm.key")), null);
  await page.getByLabel("Admin key").check();
  await page.getByLabel("API key").fill(ADMIN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Create a tenant (admin)" }).waitFor();
  await page.getByLabel("Tenant id (letters, digits, '-')").fill("acme");
  await page.getByLabel("maxCandidates").fill("8");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await page.locator("#admin-created").waitFor();
  const key = (await page.locator("#admin-key").innerText()).trim();
  assert.match(key, /^acme\./);
  assert.match(await page.locator("#admin-created").innerText(), /maxCandidates\s+8/);
  const tenant = await api("GET", "/v1/tenants/acme", undefined, key);
  assert.equal(tenant.settings.maxCandidates, 8);
  await shot("admin");
  // The same tenant again: 409 shown as problem details.
  await page.getByRole("button", { name: "Create tenant" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /Conflict[\s\S]*409/);
});

test("keyboard: the sign-in form works without a mouse", async () => {
  const fresh = await browser.newPage();
  await fresh.goto(host.base + "/console/");
  const focus = [];
  for (let i = 0; i < 3; i++) {
    await fresh.keyboard.press("Tab");
    focus.push(await fresh.evaluate(() => document.activeElement?.id || document.activeElement?.className || document.activeElement?.tagName));
  }
  // The skip link, the key kind (one tab stop for the radio group), the key field.
  assert.deepEqual(focus, ["skip", "signin-tenant", "signin-key"]);
  await fresh.keyboard.type(host.demoKey);
  await fresh.keyboard.press("Enter");
  await fresh.getByRole("heading", { name: "Score candidates for a user" }).waitFor();
  await fresh.close();
});
