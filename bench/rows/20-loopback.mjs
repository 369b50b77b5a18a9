// Create-order calls over loopback HTTP: each client against a bare keep-alive http.request (the floor) and
// MultiSafepay's official wrapper, interleaved.
import http from "node:http";
import officialModule from "@multisafepay/api-wrapper";
import createClient from "openapi-fetch";
import { createMultiSafepay } from "multisafepay-kbc";
import { createMultiSafepay as createWithFetch } from "../../dist/index.js";
import { API_KEY, CALLS, ROUNDS, answer, fmt, interleaved, order, ratio, roundRatio } from "../lib.mjs";

export default async function loopbackRow() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () =>
      res
        .writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) })
        .end(answer),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${server.address().port}/v1/json`;

  const floorAgent = new http.Agent({ keepAlive: true });
  const floor = () =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(order);
      const req = http.request(
        `${base}/orders`,
        {
          method: "POST",
          agent: floorAgent,
          headers: { api_key: API_KEY, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (text += c));
          res.on("end", () => resolve(JSON.parse(text)));
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const rawFetch = async () =>
    (
      await fetch(`${base}/orders`, {
        method: "POST",
        headers: { api_key: API_KEY, "content-type": "application/json" },
        body: JSON.stringify(order),
      })
    ).json();
  const bare = createClient({ baseUrl: base, headers: { api_key: API_KEY } });
  const ours = createMultiSafepay({ apiKey: API_KEY, baseUrl: base });
  const oursOverFetch = createWithFetch({ apiKey: API_KEY, baseUrl: base });
  // A CommonJS module with only a `default` export: ESM sees { default: class } (as attw reports).
  const OfficialWrapper = officialModule.default ?? officialModule;
  const official = new OfficialWrapper(API_KEY, { environment: "test" });
  official.orders.client.defaults.baseURL = `${base}/`;

  const loopback = await interleaved({
    "http.request (floor)": floor,
    "raw fetch": rawFetch,
    "bare openapi-fetch": async () => (await bare.POST("/orders", { body: order })).data,
    "multisafepay-kbc": () => ours.orders.create(order),
    "multisafepay-kbc over fetch": () => oursOverFetch.orders.create(order),
    "@multisafepay/api-wrapper": () => official.orders.create(order),
  });
  await ours.close();
  await oursOverFetch.close();
  server.close();
  floorAgent.destroy();

  const floorUs = loopback["http.request (floor)"];
  const wrapperUs = loopback["@multisafepay/api-wrapper"];
  const loopbackRatio = roundRatio(loopback, "multisafepay-kbc", "http.request (floor)");
  const lines = [
    `Create-order over loopback HTTP (median of ${ROUNDS} interleaved rounds × ${CALLS} calls, after ${CALLS} warm-up calls each; the target's ratio is the median of each round's)`,
    "| client | µs/call | vs floor | vs official wrapper |",
    "|---|---:|---:|---:|",
    ...Object.entries(loopback).map(([k, v]) => `| ${k} | ${fmt(v)} | ${ratio(v, floorUs)} | ${ratio(v, wrapperUs)} |`),
  ];
  return {
    targets: [
      {
        what: "orders.create over loopback (node:http) vs http.request keep-alive",
        result: `${fmt(loopbackRatio, 2)}× (raw fetch ${fmt(loopback["raw fetch"] / floorUs, 2)}×, wrapper ${fmt(wrapperUs / floorUs, 2)}×)`,
        goal: "≤ 1.2×, ahead of both",
        met:
          loopbackRatio <= 1.2 &&
          loopback["multisafepay-kbc"] < wrapperUs &&
          loopback["multisafepay-kbc"] < loopback["raw fetch"],
      },
    ],
    lines,
    results: { microseconds: loopback, vsFloor: loopbackRatio },
  };
}
