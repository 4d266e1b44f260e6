/**
 * A pure function of a string, remembered: a page of 500 sessions holds a handful of
 * distinct user agents and addresses, and parsing each one again (bowser, the address
 * lists, the country database) costs tens of microseconds a row. Bounded: past `size`
 * entries the memory starts afresh.
 */
export function memoized<T>(compute: (key: string) => T, size = 5000): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined && !known.has(key)) {
      value = compute(key);
      if (known.size >= size) known.clear();
      known.set(key, value);
    }
    return value as T;
  };
}
