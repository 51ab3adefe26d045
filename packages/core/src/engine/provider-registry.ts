import type { Provider, ResourceType } from '../provider/provider.js';

export interface ResolvedType {
  provider: Provider;
  type: ResourceType;
  /** Rate-limit bucket: `ResourceType.api` or the type name. */
  api: string;
}

/** Finds the provider and type implementation for a resource type name (`aws.ecs.service`). */
export class ProviderRegistry {
  private readonly byName = new Map<string, Provider>();

  constructor(providers: readonly Provider[]) {
    for (const provider of providers) this.byName.set(provider.name, provider);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  provider(name: string): Provider | undefined {
    return this.byName.get(name);
  }

  /** `undefined` when no provider or type matches. Type keys are full names; the unprefixed name also works. */
  resolve(typeName: string): ResolvedType | undefined {
    const dot = typeName.indexOf('.');
    if (dot <= 0) return undefined;
    const provider = this.byName.get(typeName.slice(0, dot));
    if (!provider) return undefined;
    const type = provider.types[typeName] ?? provider.types[typeName.slice(dot + 1)];
    if (!type) return undefined;
    return { provider, type, api: type.api ?? typeName };
  }
}
