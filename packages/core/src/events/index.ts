export { type ActionEventBase, type EngineEventMap, EngineEvents } from './engine-events.js';
