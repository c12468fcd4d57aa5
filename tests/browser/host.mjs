// Starts the built host (src/PGenRM.Host, Release) as README.md runs it, on free loopback ports with a temporary data
// folder and its own embedded Azurite, and stops it with SIGTERM (which stops its Azurite too).
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const hostDll = process.env.PGENRM_HOST_DLL
  ?? join(repoRoot, "src/PGenRM.Host/bin/Release/net10.0/linux-x64/PGenRM.Host.dll");

/** A free loopback port. */
export function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => { const { port } = server.address(); server.close(() => ok(port)); });
  });
}

/** Starts the host; resolves when /health/ready answers 200 (within timeoutMs). */
export async function startHost({ adminKey, timeoutMs = 180_000 }) {
  if (!existsSync(hostDll)) throw new Error(`The host is not built: ${hostDll} (run dotnet build -c Release first).`);
  const data = mkdtempSync(join(tmpdir(), "pgenrm-browser-"));
  const [http, silo, gateway] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${http}`;
  const child = spawn("dotnet", [hostDll, "--urls", base, `--PGenRM:DataDirectory=${data}`, `--PGenRM:AdminKey=${adminKey}`,
    "--PGenRM:AzuriteBlobPort=0", "--PGenRM:AzuriteQueuePort=0", "--PGenRM:AzuriteTablePort=0",
    `--PGenRM:SiloPort=${silo}`, `--PGenRM:GatewayPort=${gateway}`, "--Logging:LogLevel:Default=Warning"],
  { cwd: data, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => { output += d; });
  child.stderr.on("data", (d) => { output += d; });
  const exited = new Promise((ok) => child.once("exit", (code, signal) => ok(code ?? signal)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The host exited (${child.exitCode}) before it was ready:\n${output}`);
    // "PGenRM listening on" comes after the demo tenant's key line; readiness can answer before both.
    try {
      const r = await fetch(`${base}/health/ready`);
      if (r.status === 200 && output.includes("PGenRM listening on")) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { child.kill("SIGKILL"); throw new Error(`The host was not ready within ${timeoutMs} ms:\n${output}`); }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  const demoKey = /demo tenant 'demo' created; its API key[^:]*: (\S+)/.exec(output)?.[1];
  if (!demoKey) { child.kill("SIGKILL"); throw new Error(`The host printed no demo key:\n${output}`); }
  return {
    base, demoKey, get output() { return output; },
    async stop() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const code = await exited;
      clearTimeout(timer);
      rmSync(data, { recursive: true, force: true });
      return code;
    },
  };
}
