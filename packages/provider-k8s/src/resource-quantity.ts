// Kubernetes resource quantities (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/):
// binary suffixes Ki…Ei, decimal suffixes m (milli), k…E, or a plain / exponent number.
const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

/** The value of a quantity (`"512Mi"` → 536870912, `"500m"` → 0.5), or undefined if it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const suffix = match[2] ?? '';
  const scale = BINARY[suffix] ?? DECIMAL[suffix];
  return scale === undefined ? undefined : Number(match[1]) * scale;
}

// Six decimals absorb binary-float noise (0.1 + 0.2) without hiding a real difference in sizes.
const round = (n: number) => Math.round(n * 1e6) / 1e6;

/** CPU in vCPU: `"500m"`, `"0.5"` and `0.5` are all 0.5. */
export function cpuFromQuantity(value: unknown): number | undefined {
  const n = parseQuantity(value);
  return n === undefined ? undefined : round(n);
}

/** Memory in MiB: `"512Mi"`, `"0.5Gi"` and `"536870912"` are all 512. */
export function memoryFromQuantity(value: unknown): number | undefined {
  const n = parseQuantity(value);
  return n === undefined ? undefined : round(n / 2 ** 20);
}

/** The canonical quantity for a vCPU count: whole cores as `"2"`, else millicores (`"250m"`). */
export function cpuQuantity(vcpu: number): string {
  if (Number.isInteger(vcpu)) return String(vcpu);
  return `${Math.round(vcpu * 1000)}m`;
}

/** The canonical quantity for MiB: `"512Mi"`, or bytes when the MiB count is fractional. */
export function memoryQuantity(mib: number): string {
  if (Number.isInteger(mib)) return `${mib}Mi`;
  return String(Math.round(mib * 2 ** 20));
}
