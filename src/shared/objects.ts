/** Small object helpers every layer may use (no Node, no DOM). */

type DefinedOnly<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * The object without its undefined properties. Optional fields are absent, never
 * `undefined` (exactOptionalPropertyTypes): this writes that once instead of a
 * conditional spread per field.
 */
export function definedOnly<T extends object>(value: T): DefinedOnly<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as DefinedOnly<T>;
}
