// Debian's Chromium driven by playwright-core: never a downloaded browser, no network beyond loopback.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Requests that left loopback, failed, or logged an error. */
  external: string[];
  failed: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

/** `args`: extra Chromium switches (e.g. `--host-resolver-rules=MAP evil.example 127.0.0.1`: a name on loopback, no DNS). */
export async function openBrowser(args: string[] = []): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), "msp-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      ...args,
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const session: Session = {
    context,
    page,
    external: [],
    failed: [],
    consoleErrors: consoleErrorsOf(page),
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
  page.on("request", (request) => {
    const url = new URL(request.url());
    const local =
      url.protocol === "data:" || url.protocol === "blob:" || url.protocol === "about:" || url.hostname === "127.0.0.1";
    if (!local) session.external.push(request.url());
  });
  page.on("requestfailed", (request) => session.failed.push(`${request.url()} ${request.failure()?.errorText}`));
  return session;
}

/** The errors a page logs to its console, and those it throws, as they come. */
export function consoleErrorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}
