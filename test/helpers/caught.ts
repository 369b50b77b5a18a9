import type { MultiSafepayError } from "../../src/index.js";

/** The error a promise rejects with, typed for toMatchObject; fails the test when it resolves instead. */
export async function caught(promise: Promise<unknown>): Promise<MultiSafepayError & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as MultiSafepayError & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}
