import type { JsonValue } from '../resources/resource-spec.js';

export const REDACTED = '(sensitive)';

/** Removes known secret values from text that leaves the engine (error messages in events and outcomes). */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(value: JsonValue | undefined): void {
    if (value === undefined || value === null) return;
    if (typeof value === 'string') {
      // Very short values would redact ordinary words; secrets are longer than this.
      if (value.length >= 4) this.secrets.add(value);
      this.secrets.add(JSON.stringify(value));
      return;
    }
    if (typeof value === 'object') {
      this.secrets.add(JSON.stringify(value));
      for (const inner of Object.values(value)) this.add(inner);
      return;
    }
    if (String(value).length >= 4) this.secrets.add(String(value));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join(REDACTED);
    }
    return out;
  }
}
