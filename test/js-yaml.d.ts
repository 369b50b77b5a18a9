// js-yaml ships no types (it comes with Redocly); the tests only parse.
declare module "js-yaml" {
  export function load(text: string): unknown;
}
