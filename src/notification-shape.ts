// The notification's shape as the spec gives it (generated/notification-shape.js): which fields are floats and
// which are objects. The sandbox's serializer writes floats the PHP way from it (src/mock/php-json.ts), and
// the reader turns PHP's empty array `[]` back into the object the schema promises (readOrder).
import { FLOAT_PATHS, OBJECT_PATHS } from "../generated/notification-shape.js";

export interface ShapeNode {
  /** The schema allows `number` here (not only `integer`): a float, which PHP writes `1.0` when whole. */
  readonly float: boolean;
  /** The schema has an object here: PHP writes an empty one as `[]`. */
  readonly object: boolean;
  /** By property name; "*" is every item of an array. */
  readonly children: ReadonlyMap<string, ShapeNode>;
}

interface Building {
  float: boolean;
  object: boolean;
  children: Map<string, Building>;
}

function buildShape(floats: readonly (readonly string[])[], objects: readonly (readonly string[])[]): ShapeNode {
  const root: Building = { float: false, object: true, children: new Map() };
  const at = (path: readonly string[]) =>
    path.reduce((node, key) => {
      const found = node.children.get(key);
      if (found) return found;
      const next: Building = { float: false, object: false, children: new Map() };
      node.children.set(key, next);
      return next;
    }, root);
  for (const path of floats) at(path).float = true;
  for (const path of objects) at(path).object = true;
  return root;
}

/** The order notification's shape, from the spec. */
export const NOTIFICATION_SHAPE: ShapeNode = /* @__PURE__ */ buildShape(FLOAT_PATHS, OBJECT_PATHS);

/** The shape of an object's property, or of an array's items (`"*"`). */
export function shapeOf(node: ShapeNode | undefined, key: string): ShapeNode | undefined {
  return node?.children.get(key);
}

/**
 * Replaces, in place, every `[]` where the shape has an object with `{}`: PHP writes an empty map as an empty
 * array, and the order's types say object. Returns the value.
 */
export function readEmptyObjects(value: unknown, node: ShapeNode = NOTIFICATION_SHAPE): unknown {
  if (Array.isArray(value)) {
    const items = shapeOf(node, "*");
    if (items) for (let i = 0; i < value.length; i++) value[i] = readEmptyObjects(value[i], items);
    return value.length === 0 && node.object ? {} : value;
  }
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const [key, child] of node.children) {
      if (key !== "*" && Object.hasOwn(record, key)) record[key] = readEmptyObjects(record[key], child);
    }
  }
  return value;
}
