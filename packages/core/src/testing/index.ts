export {
  type MemoryCall,
  MemoryCloud,
  type MemoryProviderOptions,
  type MemoryResource,
  type MemoryTypeOptions,
  memoryProvider,
} from './memory-provider.js';
