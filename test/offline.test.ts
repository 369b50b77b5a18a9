// The suite's own network guard (test/setup/offline.ts): a test that reaches for a host that is not loopback
// gets an error instead of a connection, and the guard fails that test.
import dns from "node:dns";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { isLoopback, takeEscapes } from "./setup/offline.js";

describe("tests never leave the machine", () => {
  it("refuses fetch, node:http and DNS for a host that is not loopback, and records each", async () => {
    await expect(fetch("http://www.example.com/notify")).rejects.toThrow();
    await new Promise<void>((resolve) =>
      http.get("http://93.184.215.14/", () => resolve()).on("error", () => resolve()),
    );
    await expect(dns.promises.lookup("www.example.com")).rejects.toThrow(/tests never leave the machine/);
    expect(takeEscapes()).toEqual([
      "a connection to www.example.com",
      "a connection to 93.184.215.14",
      "a lookup of www.example.com",
    ]);
  });

  it("lets loopback through", () => {
    for (const host of ["localhost", "127.0.0.1", "127.8.9.10", "::1", "[::1]", "::ffff:127.0.0.1", "app.localhost"])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ["www.example.com", "10.0.0.1", "192.168.1.1", "0.0.0.0", "128.0.0.1", "localhost.example.com"])
      expect(isLoopback(host), host).toBe(false);
  });
});
