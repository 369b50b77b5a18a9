// In-process: a fetch that answers at once, to isolate each client's own cost. The `fetch` option's contract
// gives that fetch a Request (with a signal, for the timeout and the caller's abort): the floor is the same fetch
// given `new Request(url, init)` for the same order, and its answer read with response.json().
import { join } from "node:path";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { createMultiSafepay as createWithFetch } from "../../dist/index.js";
import {
  API_KEY,
  IN_PROCESS_CALLS,
  ROUNDS,
  answer,
  fmt,
  interleaved,
  order,
  ratio,
  root,
  roundRatio,
} from "../lib.mjs";

export default async function inProcessRow() {
  const instant = async () => new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
  const inProcessOurs = createWithFetch({ apiKey: API_KEY, baseUrl: "http://in.process/v1/json", fetch: instant });
  const inProcessBare = createClient({
    baseUrl: "http://in.process/v1/json",
    fetch: instant,
    headers: { api_key: API_KEY },
  });
  const requestHeaders = new Headers({
    api_key: API_KEY,
    accept: "application/json",
    "content-type": "application/json",
  });
  // The client as Node runs it, with the layer below the fetch seam (the node:http sender) answering at once:
  // no Request or Response objects at all. Built from src/ because that seam is internal.
  const internalBuild = await build({
    entryPoints: [join(root, "src/client.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
  });
  const internalModule = `data:text/javascript;base64,${Buffer.from(internalBuild.outputFiles[0].text).toString("base64")}`;
  const { clientFactory } = await import(internalModule);
  const answeredAtOnce = { status: 200, headers: { get: () => null }, body: answer };
  const stubbedSender = clientFactory(() => ({ send: async () => answeredAtOnce, close: async () => {} }))({
    apiKey: API_KEY,
    baseUrl: "http://in.process/v1/json",
  });
  const contractFloor = async () =>
    (
      await instant(
        new Request("http://in.process/v1/json/orders", {
          method: "POST",
          headers: requestHeaders,
          body: JSON.stringify(order),
          signal: new AbortController().signal,
          redirect: "manual",
        }),
      )
    ).json();
  const inProcess = await interleaved(
    {
      "the fetch given a Request (floor)": contractFloor,
      "the answering fetch alone": async () => (await instant()).json(),
      "bare openapi-fetch": async () => (await inProcessBare.POST("/orders", { body: order })).data,
      "multisafepay-kbc (with validation)": () => inProcessOurs.orders.create(order),
    },
    IN_PROCESS_CALLS,
  );
  const ownCostNodePath = (await interleaved({ stubbed: () => stubbedSender.orders.create(order) }, IN_PROCESS_CALLS))
    .stubbed;
  // The fetch contract takes a Request: what constructing one (with a body and a signal) costs any fetch-based
  // client. Measured on its own, after the group above, so its garbage does not weigh on the others.
  const requestAlone = (
    await interleaved(
      {
        "new Request() alone": () =>
          new Request("http://in.process/v1/json/orders", {
            method: "POST",
            headers: requestHeaders,
            body: JSON.stringify(order),
            signal: new AbortController().signal,
          }),
      },
      IN_PROCESS_CALLS,
    )
  )["new Request() alone"];

  const answering = inProcess["the answering fetch alone"];
  const floorUs = inProcess["the fetch given a Request (floor)"];
  const injectedRatio = roundRatio(
    inProcess,
    "multisafepay-kbc (with validation)",
    "the fetch given a Request (floor)",
  );
  const lines = [
    `In-process (a fetch that answers at once; ${ROUNDS} rounds × ${IN_PROCESS_CALLS} calls): the client's own cost per call`,
    "| client | µs/call | vs floor | own cost (minus the bare fetch) |",
    "|---|---:|---:|---:|",
    ...Object.entries(inProcess).map(([k, v]) => `| ${k} | ${fmt(v)} | ${ratio(v, floorUs)} | ${fmt(v - answering)} |`),
    `| (for scale) undici's new Request() alone | ${fmt(requestAlone)} | – | – |`,
    `| multisafepay-kbc on Node's path (node:http sender stubbed: no Request/Response objects) | ${fmt(ownCostNodePath)} | – | ${fmt(ownCostNodePath)} |`,
  ];
  return {
    targets: [
      {
        what: "orders.create over an injected fetch vs the same fetch given a Request (the option's contract)",
        result: `${fmt(injectedRatio, 2)}× (vs the fetch given (url, init): ${fmt(inProcess["multisafepay-kbc (with validation)"] / answering, 2)}×)`,
        goal: "≤ 1.2×",
        met: injectedRatio <= 1.2,
      },
    ],
    lines,
    results: {
      microseconds: { ...inProcess, "new Request() alone": requestAlone, "node path, sender stubbed": ownCostNodePath },
      injectedVsFloor: injectedRatio,
    },
  };
}
