// What a test captures (events, log lines, errors, spans), checked after each test to hold no trace of the key,
// in any letter case. Shared by the observability suites.
import { inspect } from "node:util";
import { afterEach, expect } from "vitest";
import type { Logger } from "../../src/index.js";

export function keyFreeCapture(key: string) {
  const captured: unknown[] = [];
  afterEach(() => {
    const all = inspect(captured, { depth: 20, showHidden: true });
    captured.length = 0;
    expect(all.toLowerCase()).not.toContain(key.toLowerCase());
  });

  /** A console-shaped logger that keeps its lines and adds them to what is checked. */
  function recorder() {
    const lines: { level: string; message: string; details: unknown[] }[] = [];
    const at =
      (level: string) =>
      (message: string, ...details: unknown[]) => {
        lines.push({ level, message, details });
        captured.push(message, details);
      };
    const logger: Logger = { error: at("error"), warn: at("warn"), info: at("info"), debug: at("debug") };
    return { lines, logger };
  }
  return { captured, recorder };
}
